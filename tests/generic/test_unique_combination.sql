{#- Combinations of `columns` that occur in more than one row. Unlike a
    unique test on a concatenation, no value is cast to text (at tens of
    millions of rows the casts were most of the test's time), and a null
    counts as a value instead of hiding the row. -#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
