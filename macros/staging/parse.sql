{#- Parsing of raw text values (extracts.md, "Precise rules"). Each parse
    macro returns null for a null or empty value and for a value it cannot
    parse; staging tells the two apart with is_unparsed(). The regular
    expressions come first because DuckDB's casts are lenient where the
    contract is strict: '12.5' casts to the integer 13, and a timestamp
    without a UTC offset casts as if it were UTC. -#}

{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{#- Enumerations and codes: trimmed, lower-cased. -#}
{% macro clean_code(column) -%}
    lower({{ clean_text(column) }})
{%- endmacro %}

{#- ISO 4217 currency codes: trimmed, upper-cased, three letters. -#}
{% macro parse_currency(column) -%}
    case
        when regexp_full_match(upper({{ clean_text(column) }}), '[A-Z]{3}')
            then upper({{ clean_text(column) }})
    end
{%- endmacro %}

{% macro parse_integer(column) -%}
    case
        when regexp_full_match({{ clean_text(column) }}, '[+-]?[0-9]+')
            then {{ dbt.safe_cast(clean_text(column), dbt.type_bigint()) }}
    end
{%- endmacro %}

{% macro parse_decimal(column) -%}
    case
        when regexp_full_match(
            {{ clean_text(column) }}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)'
        )
            then {{ dbt.safe_cast(clean_text(column), 'decimal(18, 4)') }}
    end
{%- endmacro %}

{#- ISO 8601 date-time with a mandatory UTC offset (Z, +hh, +hhmm, +hh:mm),
    returned as an instant (timestamptz). -#}
{% macro parse_timestamp(column) -%}
    case
        when regexp_full_match(
            {{ clean_text(column) }},
            '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)'
        )
            then {{ dbt.safe_cast(clean_text(column), 'timestamptz') }}
    end
{%- endmacro %}

{% macro parse_date(column) -%}
    case
        when regexp_full_match({{ clean_text(column) }}, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
            then {{ dbt.safe_cast(clean_text(column), 'date') }}
    end
{%- endmacro %}

{#- A YYYY-MM month, returned as the date of its first day. -#}
{% macro parse_month(column) -%}
    case
        when regexp_full_match({{ clean_text(column) }}, '[0-9]{4}-[0-9]{2}')
            then {{ dbt.safe_cast(clean_text(column) ~ " || '-01'", 'date') }}
    end
{%- endmacro %}

{#- Y/N, yes/no, true/false, 1/0 in any case. -#}
{% macro parse_boolean(column) -%}
    case
        when {{ clean_code(column) }} in ('y', 'yes', 'true', '1') then true
        when {{ clean_code(column) }} in ('n', 'no', 'false', '0') then false
    end
{%- endmacro %}

{#- True when a value was delivered but could not be parsed. -#}
{% macro is_unparsed(raw_column, parsed_column) -%}
    ({{ clean_text(raw_column) }} is not null and {{ parsed_column }} is null)
{%- endmacro %}

{#- Salted SHA-256 of a PII value, so that equal values still join. -#}
{% macro hash_pii(column) -%}
    sha256('{{ var("pii_salt") }}' || {{ clean_text(column) }})
{%- endmacro %}

{#- The rate converting an amount of `amounts` (a relation with currency)
    to var('reporting_currency'), joined to `rates` (stg_fx_rates) on month
    and currency: 1 for the reporting currency itself, null when no rate
    exists, so that the amount is rejected rather than converted at 1. -#}
{% macro rate_to_reporting(amounts, rates) -%}
    case
        when {{ amounts }}.currency = '{{ var("reporting_currency") }}'
            then coalesce({{ rates }}.rate_to_reporting, 1)
        else {{ rates }}.rate_to_reporting
    end
{%- endmacro %}
