from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "silta.bookings"
    verbose_name = _("Appointment booking")
