{#- The shared definitions of kpis.md, as SQL expressions over the columns
    of a contact (stg_contacts / fct_contacts). fct_contacts stores them for
    analysts; the KPI views derive them from the instants with these same
    macros, so that a view's unit test pins the whole definition (offsets,
    thresholds, local midnight) and no view re-implements one. -#}

{#- Wait: answered -> answered_at - queued_at; abandoned -> ended_at -
    queued_at; exact seconds. Null for contacts that were never queued. -#}
{% macro wait_seconds() -%}
    case
        when direction = 'inbound' and queued_at is not null and outcome = 'answered'
            then {{ seconds_between('queued_at', 'answered_at') }}
        when direction = 'inbound' and queued_at is not null and outcome = 'abandoned'
            then {{ seconds_between('queued_at', 'ended_at') }}
    end
{%- endmacro %}

{#- Queued: inbound with queued_at (answered or abandoned). -#}
{% macro is_queued() -%}
    (direction = 'inbound' and queued_at is not null)
{%- endmacro %}

{#- Handled: inbound answered. -#}
{% macro is_handled() -%}
    (direction = 'inbound' and outcome = 'answered')
{%- endmacro %}

{#- Short abandon: abandoned with wait < var('short_abandon_seconds'). -#}
{% macro is_short_abandon() -%}
    coalesce(
        {{ is_queued() }} and outcome = 'abandoned'
        and {{ wait_seconds() }} < {{ var('short_abandon_seconds') }},
        false
    )
{%- endmacro %}

{#- Abandoned as the KPIs count it: never a short abandon. -#}
{% macro is_abandoned() -%}
    ({{ is_queued() }} and outcome = 'abandoned' and not {{ is_short_abandon() }})
{%- endmacro %}

{#- Offered = queued - short abandons. -#}
{% macro is_offered() -%}
    ({{ is_queued() }} and not {{ is_short_abandon() }})
{%- endmacro %}

{#- Handled with wait <= var('service_level_seconds'), without rounding. -#}
{% macro is_answered_within_threshold() -%}
    coalesce(
        {{ is_handled() }} and {{ wait_seconds() }} <= {{ var('service_level_seconds') }},
        false
    )
{%- endmacro %}

{#- Handle time = talk + hold + ACW (answered contacts only). -#}
{% macro handle_seconds() -%}
    (talk_seconds + hold_seconds + acw_seconds)
{%- endmacro %}

{#- The local calendar date / hour of an instant (var center_timezone). -#}
{% macro local_date(column) -%}
    cast({{ to_local(column) }} as date)
{%- endmacro %}

{% macro local_hour(column) -%}
    cast(extract(hour from {{ to_local(column) }}) as integer)
{%- endmacro %}

{#- Repeat contact: an inbound contact of a known customer whose same
    customer had an inbound contact that ended before this one arrived,
    at most var('fcr_window_days') days before. Needs
    previous_inbound_ended_at (int_contacts__customer_sequence). -#}
{% macro is_repeat_contact() -%}
    coalesce(
        direction = 'inbound'
        and customer_id is not null
        and {{ microseconds_between('previous_inbound_ended_at', 'arrived_at') }}
        <= {{ fcr_window_microseconds() }},
        false
    )
{%- endmacro %}

{#- var fcr_window_days in microseconds. A day is 86,400 s, as in the UTC
    session that profiles.yml pins (var center_timezone is applied
    explicitly): what dbt.dateadd's calendar arithmetic gave, per row. -#}
{% macro fcr_window_microseconds() -%}
    {{ var('fcr_window_days') * 86400 * 1000000 }}
{%- endmacro %}

{#- Operational FCR (kpis.md): a handled contact of a known customer is
    pending while its window reaches past `last_arrived_at` (the last
    arrival of all clean contacts), else resolved first time when no
    inbound contact of the customer arrived in (ended_at, ended_at +
    var('fcr_window_days') days]. Needs next_inbound_arrived_at. -#}
{% macro fcr_status(last_arrived_at) -%}
    case
        when not ({{ is_handled() }} and customer_id is not null) then null
        when {{ microseconds_between('ended_at', last_arrived_at) }}
            < {{ fcr_window_microseconds() }}
            then 'pending'
        when {{ microseconds_between('ended_at', 'next_inbound_arrived_at') }}
            <= {{ fcr_window_microseconds() }}
            then 'repeated'
        else 'resolved'
    end
{%- endmacro %}

{#- One row per contact of `contacts` (contacts of known customers) with
    the same customer's nearest inbound contacts, any channel, any outcome:
    the first arrival among `next_inbound` after it ended (operational
    FCR) and the last end among `previous_inbound` before it arrived
    (repeat contacts). Both are relations of inbound contacts with
    customer_id, arrived_at and ended_at. int_contacts__customer_sequence
    looks up every contact; an incremental run of fct_contacts only the
    contacts it rebuilds. -#}
{% macro customer_sequence(contacts, next_inbound, previous_inbound) -%}
    select
        looked_up.contact_id,
        next_inbound.arrived_at as next_inbound_arrived_at,
        previous_inbound.ended_at as previous_inbound_ended_at
    from {{ contacts }} as looked_up
    {{ asof_left_join(
        next_inbound ~ ' as next_inbound',
        'looked_up.customer_id = next_inbound.customer_id',
        'next_inbound.arrived_at > looked_up.ended_at'
    ) }}
    {{ asof_left_join(
        previous_inbound ~ ' as previous_inbound',
        'looked_up.customer_id = previous_inbound.customer_id',
        'previous_inbound.ended_at < looked_up.arrived_at'
    ) }}
{%- endmacro %}
