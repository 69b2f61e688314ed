{#- The body of every stg_<extract>__rejected model: the rows a __checked
    model rejected, with their reason and the text exactly as delivered. -#}
{% macro rejected_rows(checked_model, extract) -%}
with

checked as (

    select * from {{ checked_model }}

),

final as (

    select
        reject_reason,
        {{ raw_columns(extract, to_raw=false) }}
    from checked
    where row_status = 'rejected'

)

select * from final
{%- endmacro %}

{#- The status every __checked model ends with: each raw row is exactly one
    of clean, rejected (with a reason) or a superseded duplicate. -#}
{% macro row_status() -%}
    case
        when reject_reason is not null then 'rejected'
        when duplicate_status is not null then 'superseded'
        else 'clean'
    end
{%- endmacro %}
