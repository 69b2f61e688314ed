with

checked as (

    select * from {{ ref('stg_agent_states__checked') }}

),

final as (

    select
        -- ids
        agent_id,

        -- codes
        state,

        -- booleans: logged-in time is every state but offline (extracts.md)
        state <> 'offline' as is_logged_in,

        -- timestamps
        started_at,
        ended_at,
        {{ to_local('started_at') }} as started_at_local,
        {{ to_local('ended_at') }} as ended_at_local

    from checked
    where row_status = 'clean'

)

select * from final
