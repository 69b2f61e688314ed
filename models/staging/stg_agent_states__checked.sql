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

source as (

    select * from {{ raw_extract('raw_agent_states', this if is_incremental() else none) }}

),

arrived as (

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

parsed as (

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
            reject_reason_before,
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

    -- the neighbours are left out: a later file can change them without
    -- changing any row's status
    select
        * exclude (
            reject_reason_before, row_reject_reason, latest_earlier_end,
            next_start
        ),
        {{ row_status() }} as row_status,
        {{ built_at() }} as built_at
    from validated

)

select * from final
