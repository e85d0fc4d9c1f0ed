from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_throttle_in_cache")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("fi", "Finnish"), ("sv", "Swedish"), ("en", "English")],
                default="",
                max_length=8,
                verbose_name="language",
            ),
        ),
    ]
