with

checked as (

    select * from {{ ref('stg_contacts__checked') }}

),

final as (

    select
        -- ids
        contact_id,
        customer_id,
        case_id,
        agent_id,
        caller_number_hash,

        -- codes
        channel,
        direction,
        outcome,
        queue,
        transferred_to_queue,

        -- numerics: on an answered contact a missing hold, ACW or hold count
        -- means 0 (extracts.md); other contacts carry none
        talk_seconds,
        case when outcome = 'answered' then coalesce(hold_seconds, 0) end
            as hold_seconds,
        case when outcome = 'answered' then coalesce(acw_seconds, 0) end
            as acw_seconds,
        case when outcome = 'answered' then coalesce(hold_count, 0) end
            as hold_count,

        -- booleans
        agent_resolved,

        -- timestamps (UTC instants, then the center's wall-clock time)
        exported_at,
        arrived_at,
        queued_at,
        answered_at,
        ended_at,
        {{ to_local('arrived_at') }} as arrived_at_local,
        {{ to_local('queued_at') }} as queued_at_local,
        {{ to_local('answered_at') }} as answered_at_local,
        {{ to_local('ended_at') }} as ended_at_local,
        built_at

    from checked
    where row_status = 'clean'

)

select * from final
