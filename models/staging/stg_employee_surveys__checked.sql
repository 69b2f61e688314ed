{{ config(materialized='table') }}

with

-- source and parsed are not materialized: the rows stream from the files
-- to each reader (docs block checked_model)
source as not materialized (

    select * from {{ raw_extract('raw_employee_surveys') }}

),

parsed as not materialized (

    select
        -- raw text, as delivered, for the rejects model
        {{ raw_columns('raw_employee_surveys') }},
        source_file,

        -- ids
        {{ clean_text('response_id') }} as response_id,
        {{ clean_text('agent_id') }} as agent_id,

        -- scores
        {{ parse_integer('esat') }} as esat,

        -- dates
        {{ parse_date('surveyed_on') }} as surveyed_on

    from source

),

deduplicated as (

    {{ with_duplicate_status('parsed', 'raw_employee_surveys', ['response_id'], row_fingerprint([
            'agent_id', 'esat', 'surveyed_on',
        ])) }}

),

validated as (

    select
        *,
        case
            when response_id is null then 'missing_response_id'
            when duplicate_status = 'conflicting' then 'conflicting_duplicate'
            when duplicate_status is not null then null
            when agent_id is null then 'missing_agent_id'
            when raw_surveyed_on is null then 'missing_surveyed_on'
            when surveyed_on is null then 'invalid_surveyed_on'
            when raw_esat is null then 'missing_esat'
            when esat is null then 'invalid_esat'
            when esat not between 1 and 5 then 'esat_out_of_range'
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
