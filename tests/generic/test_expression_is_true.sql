{#- Rows for which a boolean SQL expression over the model's columns is
    false, e.g. "answered_within_threshold <= offered". Nulls pass. -#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
