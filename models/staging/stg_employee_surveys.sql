with

checked as (

    select * from {{ ref('stg_employee_surveys__checked') }}

),

final as (

    select
        -- ids
        response_id,
        agent_id,

        -- scores
        esat,

        -- dates
        surveyed_on

    from checked
    where row_status = 'clean'

)

select * from final
