from django.views.generic import DetailView, ListView


class OrganisationListView(ListView):
    pass


class OrganisationDetailView(DetailView):
    pass
