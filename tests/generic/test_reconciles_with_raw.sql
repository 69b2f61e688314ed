{#- No row is lost or counted twice (extracts.md, "Rejected rows"): the raw
    rows of `extract` = the clean rows of the model + the rejected rows +
    the superseded duplicates. Returns the counts when they disagree. -#}
{% test reconciles_with_raw(model, extract, rejected, checked) %}

with

counts as (

    select
        (select count(*) from {{ raw_extract(extract) }}) as raw_rows,
        (select count(*) from {{ model }}) as clean_rows,
        (select count(*) from {{ rejected }}) as rejected_rows,
        (
            select count(*) from {{ checked }}
            where row_status = 'superseded'
        ) as superseded_rows

)

select *
from counts
where raw_rows <> clean_rows + rejected_rows + superseded_rows

{% endtest %}
