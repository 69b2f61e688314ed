with

checked as (

    select * from {{ ref('stg_agents__checked') }}

),

final as (

    select
        -- ids
        agent_id,
        full_name_hash,

        -- strings
        team,
        site,
        cost_currency,

        -- numerics
        hourly_cost,

        -- dates
        hired_on,
        left_on

    from checked
    where row_status = 'clean'

)

select * from final
