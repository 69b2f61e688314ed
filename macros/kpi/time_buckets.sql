{#- The start of the var('interval_minutes') interval holding a local
    timestamp. Intervals divide the hour, so each local midnight starts
    one. -#}
{% macro floor_to_interval(timestamp_local) -%}
    {{ dbt.dateadd(
        'minute',
        '(floor(extract(minute from ' ~ timestamp_local ~ ') / '
            ~ var('interval_minutes') ~ ') * ' ~ var('interval_minutes') ~ ')',
        dbt.date_trunc('hour', timestamp_local)
    ) }}
{%- endmacro %}

{#- A ratio that is null, never an error, when its denominator is 0. -#}
{% macro safe_ratio(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif({{ denominator }}, 0))
{%- endmacro %}
