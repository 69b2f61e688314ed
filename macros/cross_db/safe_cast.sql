{#- dbt-duckdb does not implement dbt.safe_cast, so it falls back to a plain
    cast, which fails the whole query on one bad value ("2026-02-30").
    DuckDB's try_cast returns null instead, which staging turns into an
    invalid_<column> reject. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
