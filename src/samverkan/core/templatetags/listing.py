"""`{% sort_th sorting "key" %}`: a sortable column header (link, aria-sort, visible arrow)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def sort_th(sorting, key: str, css: str = ""):
    """The header cell of a column declared in the list's `core.listing.Sorting`."""
    head = sorting.header(key)
    if not head["url"]:
        return format_html('<th scope="col"{}>{}</th>', format_html(' class="{}"', css) if css else "", head["label"])
    return format_html(
        '<th scope="col"{}{}><a class="sort" href="{}">{} <span aria-hidden="true">{}</span></a></th>',
        format_html(' class="{}"', css) if css else "",
        format_html(' aria-sort="{}"', head["aria_sort"]) if head["aria_sort"] else "",
        head["url"],
        head["label"],
        head["arrow"],
    )
