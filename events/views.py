from django.views.generic import DetailView, ListView


class UpcomingEventListView(ListView):
    pass


class PastEventListView(ListView):
    pass


class EventDetailView(DetailView):
    pass
