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

{#- The UTC day of an instant (with `just_before`, of the microsecond
    before it), as whole days since the epoch: a bucket to join instants on
    without calendar arithmetic. -#}
{% macro epoch_day(instant, just_before=false) -%}
    ((epoch_us({{ instant }}){{ ' - 1' if just_before }}) // 86400000000)
{%- endmacro %}

{#- ln n! for a whole number n >= 0, as lgamma(n + 1). DuckDB-only: on
    Postgres, a running sum of ln k over the series of n. -#}
{% macro ln_factorial(n) -%}
    lgamma({{ n }} + 1)
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
    has two, with the same local start. It steps in integer microseconds:
    a series of timestamptz adds each step through the ICU calendar (54M
    instants: 3.5 s instead of 1.6 s; at 10M contacts a full build of
    kpi_queue_concurrency took 7.8 s instead of 12 s). The boundary at or
    before start_at is its local time's remainder of the interval length
    earlier (the interval divides the hour); the remainder of a wall-clock
    time before 1970 is negative in DuckDB, hence the second modulo. -#}
{% macro unnest_interval_start_instants(start_at, end_at) -%}
    {%- set step = interval_microseconds() %}
    make_timestamptz(unnest(generate_series(
        epoch_us({{ start_at }}) - (
            epoch_us({{ to_local(start_at) }}) % {{ step }} + {{ step }}
        ) % {{ step }},
        epoch_us({{ end_at }}),
        {{ step }}
    )))
{%- endmacro %}

{#- The instant the var('interval_minutes') interval that starts at the
    instant interval_start_at ends, in integer microseconds: adding an
    interval to a timestamptz goes through the ICU calendar (46M instants:
    0.78 s instead of 0.10 s). -#}
{% macro interval_end_at(interval_start_at) -%}
    make_timestamptz(epoch_us({{ interval_start_at }}) + {{ interval_microseconds() }})
{%- endmacro %}

{#- The length of a staffing interval in microseconds. -#}
{% macro interval_microseconds() -%}
    {{ (var('interval_minutes') | int) * 60 * 1000000 }}
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
