{#- Analysts query marts.kpi_*, not <target schema>_marts.kpi_*: a custom
    schema is used as it is, and models without one stay in the target's. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
