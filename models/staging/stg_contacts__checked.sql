{{ config(
    materialized='incremental' if var('extract_dir') is not none else 'table',
    incremental_strategy='delete+insert',
    unique_key='contact_id',
) }}

-- Incremental in extract-directory mode: a run reads only the files not
-- loaded before, and judges their rows again together with every loaded row
-- of the same contact_id (docs block checked_model).

with

-- source and parsed are not materialized: the rows stream from the files
-- to each reader (docs block checked_model)
source as not materialized (

    select * from {{ raw_extract('raw_contacts', this if is_incremental() else none) }}

),

parsed as not materialized (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_contacts') }},
        source_file,

        -- ids
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ clean_text('case_id') }} as case_id,
        {{ clean_text('agent_id') }} as agent_id,
        {{ hash_pii('caller_number') }} as caller_number_hash,

        -- codes
        {{ clean_code('channel') }} as channel,
        {{ clean_code('direction') }} as direction,
        {{ clean_code('outcome') }} as outcome,
        {{ clean_code('queue') }} as queue,
        {{ clean_code('transferred_to_queue') }} as transferred_to_queue,

        -- numerics
        {{ parse_integer('talk_seconds') }} as talk_seconds,
        {{ parse_integer('hold_seconds') }} as hold_seconds,
        {{ parse_integer('acw_seconds') }} as acw_seconds,
        {{ parse_integer('hold_count') }} as hold_count,

        -- booleans
        {{ parse_boolean('agent_resolved') }} as agent_resolved,

        -- timestamps
        {{ parse_timestamp('exported_at') }} as exported_at,
        {{ parse_timestamp('arrived_at') }} as arrived_at,
        {{ parse_timestamp('queued_at') }} as queued_at,
        {{ parse_timestamp('answered_at') }} as answered_at,
        {{ parse_timestamp('ended_at') }} as ended_at

    from source

),

{%- if is_incremental() %}

-- the new rows and every loaded row of their keys, judged together again
parsed_with_loaded as (

    select * from parsed
    union all by name
    {{ loaded_rows_of_keys('parsed', 'contact_id') }}

),
{%- endif %}

deduplicated as (

    {{ with_duplicate_status(
        'parsed_with_loaded' if is_incremental() else 'parsed', 'raw_contacts', ['contact_id'], row_fingerprint([
        'customer_id', 'case_id', 'agent_id', 'caller_number_hash',
        'channel', 'direction', 'outcome', 'queue',
        'transferred_to_queue', 'talk_seconds', 'hold_seconds',
        'acw_seconds', 'hold_count', 'agent_resolved', 'arrived_at',
        'queued_at', 'answered_at', 'ended_at',
    ]), 'exported_at') }}

),

validated as (

    select
        *,
        -- The order of the rules is the documented order of reject_reason
        -- (_staging__models.yml): the first broken rule is reported.
        case
            when contact_id is null then 'missing_contact_id'
            when raw_exported_at is null then 'missing_exported_at'
            when exported_at is null then 'invalid_exported_at'
            when duplicate_status = 'conflicting' then 'conflicting_duplicate'
            -- superseded rows are counted as duplicates, not validated
            when duplicate_status is not null then null
            when channel is null then 'missing_channel'
            when channel not in ('voice', 'chat', 'email', 'self_service')
                then 'invalid_channel'
            when direction is null then 'missing_direction'
            when direction not in ('inbound', 'outbound')
                then 'invalid_direction'
            when outcome is null then 'missing_outcome'
            when
                (direction = 'inbound' and outcome not in (
                    'answered', 'abandoned', 'blocked', 'self_served'
                ))
                or (direction = 'outbound' and outcome not in (
                    'answered', 'no_answer'
                ))
                then 'invalid_outcome'
            when queue is null then 'missing_queue'
            when {{ is_unparsed('raw_arrived_at', 'arrived_at') }}
                then 'invalid_arrived_at'
            when {{ is_unparsed('raw_queued_at', 'queued_at') }}
                then 'invalid_queued_at'
            when {{ is_unparsed('raw_answered_at', 'answered_at') }}
                then 'invalid_answered_at'
            when {{ is_unparsed('raw_ended_at', 'ended_at') }}
                then 'invalid_ended_at'
            when arrived_at is null then 'missing_arrived_at'
            when ended_at is null then 'missing_ended_at'
            when {{ is_unparsed('raw_talk_seconds', 'talk_seconds') }}
                then 'invalid_talk_seconds'
            when {{ is_unparsed('raw_hold_seconds', 'hold_seconds') }}
                then 'invalid_hold_seconds'
            when {{ is_unparsed('raw_acw_seconds', 'acw_seconds') }}
                then 'invalid_acw_seconds'
            when {{ is_unparsed('raw_hold_count', 'hold_count') }}
                then 'invalid_hold_count'
            when {{ is_unparsed('raw_agent_resolved', 'agent_resolved') }}
                then 'invalid_agent_resolved'
            when
                talk_seconds < 0
                or hold_seconds < 0
                or acw_seconds < 0
                or hold_count < 0
                then 'negative_duration'
            when
                queued_at < arrived_at
                or answered_at < coalesce(queued_at, arrived_at)
                or ended_at < coalesce(answered_at, queued_at, arrived_at)
                then 'timestamps_out_of_order'
            when
                queued_at is not null
                and (direction = 'outbound' or outcome in ('blocked', 'self_served'))
                then 'unexpected_queued_at'
            when
                outcome <> 'answered'
                and (
                    answered_at is not null
                    or talk_seconds is not null
                    or hold_seconds is not null
                    or acw_seconds is not null
                    or hold_count is not null
                )
                then 'unanswered_with_answer_fields'
            when outcome = 'abandoned' and queued_at is null
                then 'abandoned_without_queued_at'
            when
                outcome = 'answered'
                and (
                    answered_at is null
                    or agent_id is null
                    or talk_seconds is null
                    or (direction = 'inbound' and queued_at is null)
                )
                then 'incomplete_answered_contact'
        end as reject_reason
    from deduplicated

),

final as (

    select
        *,
        {{ row_status() }} as row_status,
        {{ built_at() }} as built_at
    from validated

)

select * from final
