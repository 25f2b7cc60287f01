"""URLs of My work and the global search."""

from django.urls import path

from governance.overview import views

urlpatterns = [
    path("my-work/", views.MyWorkView.as_view(), name="my_work"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("search/suggestions/", views.SearchSuggestionsView.as_view(),
         name="search_suggestions"),
]
