{#- Macros of the access and speed KPI views (kpi_speed_of_answer,
    kpi_caller_patience). Both wrap DuckDB-only aggregates, kept here so
    that a port to another warehouse changes these macros, not the views. -#}

{#- The continuous quantile (linear interpolation between the two nearest
    values) of a numeric expression; nulls are ignored, so pass
    `case when <condition> then <value> end` to filter. DuckDB-only syntax:
    quantile_cont(x, q); on Postgres / Snowflake the same is
    percentile_cont(q) within group (order by x). -#}
{% macro quantile_cont(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{#- The product of a numeric expression over the rows of a group (1.0 for
    an empty group, where DuckDB returns null). DuckDB-only syntax: the
    product() aggregate; elsewhere exp(sum(ln(x))) with a guard for zeros
    (it also loses the exactness of products of binary fractions that the
    unit tests compare with =). -#}
{% macro product_of(expression) -%}
    coalesce(product({{ expression }}), 1.0)
{%- endmacro %}
