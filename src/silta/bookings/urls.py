from django.urls import path

from silta.bookings import views

app_name = "bookings"
urlpatterns = [
    path("appointments/", views.index, name="index"),
    path("appointments/publish/", views.publish, name="publish"),
    path("appointments/search/", views.search, name="search"),
    path("appointments/slots/<uuid:slot_id>/book/", views.book, name="book"),
    path("appointments/<uuid:booking_id>/", views.detail, name="detail"),
    path("appointments/<uuid:booking_id>/rebook/", views.rebook, name="rebook"),
    path("appointments/<uuid:booking_id>/cancel/", views.cancel, name="cancel"),
    path("appointments/<uuid:booking_id>/no-show/", views.no_show, name="no_show"),
    path("appointments/<uuid:booking_id>/confirmation.ics", views.ics, name="ics"),
]
