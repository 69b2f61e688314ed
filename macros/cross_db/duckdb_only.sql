{#- DuckDB-only syntax, kept here so that a port to another warehouse
    changes these macros and not the models. -#}

{#- The wall-clock time of an instant in the center's time zone
    (var center_timezone). DuckDB-only syntax: timezone(zone, timestamptz)
    returns a timestamp without time zone. -#}
{% macro to_local(column) -%}
    timezone('{{ var("center_timezone") }}', {{ column }})
{%- endmacro %}

{#- The instant of a wall-clock time in the center's time zone: the inverse
    of to_local. DuckDB-only syntax: timezone(zone, timestamp) returns a
    timestamp with time zone. -#}
{% macro from_local(column) -%}
    timezone('{{ var("center_timezone") }}', {{ column }})
{%- endmacro %}

{#- Exact seconds between two instants (fractions kept). dbt.datediff
    counts crossed second boundaries instead, which rounds. -#}
{% macro seconds_between(start_at, end_at) -%}
    (epoch({{ end_at }}) - epoch({{ start_at }}))
{%- endmacro %}

{#- Exact microseconds between two instants, in integers: the comparisons
    with a window of days (fcr_status, is_repeat_contact) are exact at
    their boundaries, and cost a third of dbt.dateadd's calendar arithmetic
    per row (at 10M contacts 0.25 s instead of 0.9 s per comparison). -#}
{% macro microseconds_between(start_at, end_at) -%}
    (epoch_us({{ end_at }}) - epoch_us({{ start_at }}))
{%- endmacro %}

{#- An ASOF join: for each left row, the one right row with the same
    equality keys that is nearest on the inequality. On Postgres the same
    is a left join lateral (... order by ... limit 1). -#}
{% macro asof_left_join(relation, equality, inequality) -%}
    asof left join {{ relation }}
        on {{ equality }} and {{ inequality }}
{%- endmacro %}

{#- One row per local interval that [start_local, end_local) touches: the
    interval's start, as `interval_start_local`. -#}
{% macro unnest_interval_starts(start_local, end_local) -%}
    unnest(generate_series(
        {{ floor_to_interval(start_local) }},
        {{ end_local }},
        interval '{{ var("interval_minutes") }} minutes'
    ))
{%- endmacro %}

{#- One row per local interval that the instants [start_at, end_at) touch:
    the instant the interval starts, as `interval_start_at`. The series
    steps through instants from the local interval boundary at or before
    start_at, not through wall-clock times, so that every interval is its
    true length across a daylight-saving change (which happens on an
    interval boundary): the skipped hour has no interval, the repeated hour
    has two, with the same local start. -#}
{% macro unnest_interval_start_instants(start_at, end_at) -%}
    unnest(generate_series(
        {{ start_at }} - (
            {{ to_local(start_at) }} - {{ floor_to_interval(to_local(start_at)) }}
        ),
        {{ end_at }},
        interval '{{ var("interval_minutes") }} minutes'
    ))
{%- endmacro %}

{#- A table of dates from first_date to last_date, inclusive. -#}
{% macro date_series(first_date, last_date) -%}
    generate_series({{ first_date }}, {{ last_date }}, interval 1 day)
{%- endmacro %}

{#- A list of the SQL expressions `items`, for unnest: two unnests in one
    select go side by side, one row per position. -#}
{% macro list_of(items) -%}
    [{{ items | join(', ') }}]
{%- endmacro %}

{#- A table of the integers from `first` to `last` by `step`. -#}
{% macro number_series(first, last, step) -%}
    generate_series({{ first }}, {{ last }}, {{ step }})
{%- endmacro %}
