{{ config(
    materialized='incremental' if var('extract_dir') is not none else 'table',
    incremental_strategy='delete+insert',
    unique_key=['agent_id', 'started_at'],
) }}

-- State logs have no key: a repeated row is not a re-send to drop, so no row
-- is ever superseded here. Two intervals of one agent that overlap cannot
-- both be true, and the log does not tell which one is, so both are
-- rejected (overlapping_interval).
--
-- Incremental in extract-directory mode: a run reads only the files not
-- loaded before. New rows can only add overlaps, so a loaded row is judged
-- again only where a new row may overlap it (same agent, times that meet),
-- together with every loaded row of the same agent and start, the key its
-- replacement is deleted by; a loaded row keeps a reason it already had.

with

-- not materialized: each reader parses the rows again as they stream from
-- the files, and next_starts reads only the parsed times (docs block
-- checked_model)
source as not materialized (

    select * from {{ raw_extract('raw_agent_states', this if is_incremental() else none) }}

),

arrived as not materialized (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_agent_states') }},
        source_file,

        -- ids
        {{ clean_text('agent_id') }} as agent_id,

        -- codes
        {{ clean_code('state') }} as state,

        -- timestamps
        {{ parse_timestamp('started_at') }} as started_at,
        {{ parse_timestamp('ended_at') }} as ended_at

    from source

),

{%- if is_incremental() %}

-- The loaded table is read where it is used, not through a CTE: DuckDB
-- materializes a CTE read twice, here every loaded row (7 s of a 7.2 s
-- incremental run at 10M contacts)
touched_keys as (

    select agent_id, started_at from arrived
    union
    select loaded.agent_id, loaded.started_at
    from {{ this }} as loaded
    inner join arrived
        on
            loaded.agent_id = arrived.agent_id
            and loaded.started_at < arrived.ended_at
            and arrived.started_at < loaded.ended_at
    -- a cheap scan first: only rows still open when the new ones begin
    where loaded.ended_at > (select min(started_at) from arrived)

),

{%- endif %}

parsed as not materialized (

    select
        *,
        cast(null as varchar) as reject_reason_before
    from arrived
    {%- if is_incremental() %}
    union all by name
    select
        loaded.* exclude ({{ judgement_columns() }}),
        loaded.reject_reason as reject_reason_before
    from {{ this }} as loaded
    semi join touched_keys
        on
            loaded.agent_id = touched_keys.agent_id
            and loaded.started_at = touched_keys.started_at
    {%- endif %}

),

row_checked as not materialized (

    select
        *,
        cast(null as varchar) as duplicate_status,
        case
            when agent_id is null then 'missing_agent_id'
            when state is null then 'missing_state'
            when
                state not in (
                    'available', 'on_contact', 'acw', 'break', 'meeting',
                    'training', 'offline'
                )
                then 'invalid_state'
            when raw_started_at is null then 'missing_started_at'
            when started_at is null then 'invalid_started_at'
            when raw_ended_at is null then 'missing_ended_at'
            when ended_at is null then 'invalid_ended_at'
            when ended_at <= started_at then 'ended_not_after_started'
        end as row_reject_reason
    from parsed

),

-- Of two intervals of an agent that overlap, one starts within the other's
-- span (at or after its start, before its end). Ordered by start, that
-- other one is overlapped by the interval next to it, which starts no
-- later. So an interval overlaps another exactly when it starts within the
-- span of one that its next interval overlaps (its own span, if its next
-- one overlaps it): only those few spans are looked up, merged, by the UTC
-- days they cover (days, not hours: a span a mistyped year long stays a few
-- thousand rows). No window sorts the text columns or keeps a running latest
-- end over every row; both did, and were most of this model's time (10M
-- contacts, 24.8M states, the model built alone: 45.7 s -> 33.0 s, the same
-- rows). Partitioning by validity keeps rejected rows out of the comparison.
next_starts as (

    select
        agent_id,
        started_at,
        ended_at,
        row_reject_reason is null as is_valid,
        lead(started_at) over (
            partition by agent_id, row_reject_reason is null
            order by started_at, ended_at
        ) as next_start
    from row_checked

),

overlapped as (

    select
        agent_id,
        started_at,
        ended_at,
        max(ended_at) over (
            partition by agent_id
            order by started_at, ended_at
            rows between unbounded preceding and 1 preceding
        ) as latest_earlier_end
    from next_starts
    where is_valid and next_start < ended_at

),

-- the spans of an agent's overlapped intervals, merged where they meet
-- (numbered by the spans begun so far): disjoint, so that an interval
-- starts within one span at most
overlapped_numbered as (

    select
        *,
        count(
            case when latest_earlier_end >= started_at then null else 1 end
        ) over (
            partition by agent_id
            order by started_at, ended_at
            rows unbounded preceding
        ) as span_number
    from overlapped

),

overlapped_spans as (

    select
        agent_id,
        span_number,
        min(started_at) as started_at,
        max(ended_at) as ended_at
    from overlapped_numbered
    group by 1, 2

),

overlapped_days as (

    select
        agent_id,
        started_at,
        ended_at,
        unnest(range(
            {{ epoch_day('started_at') }},
            -- through the day of the last microsecond of the span
            {{ epoch_day('ended_at', just_before=true) }} + 1
        )) as epoch_day
    from overlapped_spans

),

validated as (

    select
        row_checked.*,
        coalesce(
            row_checked.row_reject_reason,
            row_checked.reject_reason_before,
            case
                when overlapped_days.agent_id is not null
                    then 'overlapping_interval'
            end
        ) as reject_reason
    from row_checked
    left join overlapped_days
        on
            row_checked.row_reject_reason is null
            and row_checked.agent_id = overlapped_days.agent_id
            and {{ epoch_day('row_checked.started_at') }}
            = overlapped_days.epoch_day
            and row_checked.started_at >= overlapped_days.started_at
            and row_checked.started_at < overlapped_days.ended_at

),

final as (

    select
        * exclude (reject_reason_before, row_reject_reason),
        {{ row_status() }} as row_status,
        {{ built_at() }} as built_at
    from validated

)

select * from final
