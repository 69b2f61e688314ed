{{ config(materialized='table') }}

-- State logs have no key: a repeated row is not a re-send to drop, so no row
-- is ever superseded here. Two intervals of one agent that overlap cannot
-- both be true, and the log does not tell which one is, so both are
-- rejected (overlapping_interval).

with

source as (

    select * from {{ raw_extract('raw_agent_states') }}

),

parsed as (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_agent_states') }},

        -- ids
        {{ clean_text('agent_id') }} as agent_id,

        -- codes
        {{ clean_code('state') }} as state,

        -- timestamps
        {{ parse_timestamp('started_at') }} as started_at,
        {{ parse_timestamp('ended_at') }} as ended_at

    from source

),

row_checked as (

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

neighbours as (

    -- Among an agent's valid intervals ordered by start, one overlaps an
    -- earlier one when it starts before the latest end so far, and a later
    -- one when the next start comes before its own end. Partitioning by
    -- validity keeps rejected rows out of the comparison.
    select
        *,
        max(ended_at) over (
            partition by agent_id, row_reject_reason is null
            order by started_at, ended_at
            rows between unbounded preceding and 1 preceding
        ) as latest_earlier_end,
        lead(started_at) over (
            partition by agent_id, row_reject_reason is null
            order by started_at, ended_at
        ) as next_start
    from row_checked

),

validated as (

    select
        *,
        coalesce(
            row_reject_reason,
            case
                when
                    started_at < latest_earlier_end
                    or next_start < ended_at
                    then 'overlapping_interval'
            end
        ) as reject_reason
    from neighbours

),

final as (

    select
        *,
        {{ row_status() }} as row_status
    from validated

)

select * from final
