{{ config(materialized='table') }}

with

-- source and parsed are not materialized: the rows stream from the files
-- to each reader (docs block checked_model)
source as not materialized (

    select * from {{ raw_extract('raw_agents') }}

),

parsed as not materialized (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_agents') }},
        source_file,

        -- ids
        {{ clean_text('agent_id') }} as agent_id,
        {{ hash_pii('full_name') }} as full_name_hash,

        -- strings
        {{ clean_text('team') }} as team,
        {{ clean_text('site') }} as site,
        {{ parse_currency('cost_currency') }} as cost_currency,

        -- numerics
        {{ parse_decimal('hourly_cost') }} as hourly_cost,

        -- dates
        {{ parse_date('hired_on') }} as hired_on,
        {{ parse_date('left_on') }} as left_on

    from source

),

deduplicated as (

    {{ with_duplicate_status('parsed', 'raw_agents', ['agent_id'], row_fingerprint([
            'full_name_hash', 'team', 'site', 'cost_currency', 'hourly_cost',
            'hired_on', 'left_on',
        ])) }}

),

validated as (

    select
        *,
        case
            when agent_id is null then 'missing_agent_id'
            when duplicate_status = 'conflicting' then 'conflicting_duplicate'
            when duplicate_status is not null then null
            when raw_hired_on is null then 'missing_hired_on'
            when hired_on is null then 'invalid_hired_on'
            when {{ is_unparsed('raw_left_on', 'left_on') }}
                then 'invalid_left_on'
            when left_on < hired_on then 'left_before_hired'
            when raw_hourly_cost is null then 'missing_hourly_cost'
            when hourly_cost is null then 'invalid_hourly_cost'
            when hourly_cost < 0 then 'negative_hourly_cost'
            when raw_cost_currency is null then 'missing_cost_currency'
            when cost_currency is null then 'invalid_cost_currency'
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
