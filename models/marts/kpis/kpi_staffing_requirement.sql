-- Staffing requirement (kpis.md, "Staffing"): per local interval of
-- var('interval_minutes') of the whole center, the voice traffic offered,
-- the Erlang C agents it required against var('service_level_target')
-- within T = var('service_level_seconds') and var('max_occupancy'), the
-- agents to schedule after var('shrinkage'), and how the agents actually
-- logged in compare: Erlang C's predicted service level for them, the
-- measured one, and the predicted ASA with 10% more volume.

-- As a table (var kpi_materialization), incremental like
-- kpi_queue_concurrency: the Erlang C series of every interval of the year
-- would otherwise be computed again to add one day. An interval depends
-- only on the contacts and agent time of its own local date, so whole
-- dates are replaced (delete+insert on interval_date).
{{
    config(
        materialized=incremental_kpi(),
        unique_key='interval_date',
    )
}}

with

recomputed_contacts as (

    {{ rows_of_rebuilt_dates(
        ref('fct_contacts'), 'contact_date', 'interval_date'
    ) }}

),

recomputed_agent_state_intervals as (

    {{ rows_of_rebuilt_dates(
        ref('fct_agent_state_intervals'), 'state_date', 'interval_date'
    ) }}

),

{% if is_incremental() %}
    -- where the rebuilt dates start, and the first interval already built
    previous_build as (

        select
            {{ first_rebuilt_date('interval_date') }} as first_recomputed_date,
            min(interval_start_local) as built_first_interval_start_local
        from {{ this }}

    ),
{% endif %}

voice_contacts as (

    select
        {{ floor_to_interval(to_local('arrived_at')) }} as interval_start_local,
        {{ local_date('arrived_at') }} as contact_date,
        queue,
        {{ is_queued() }} as is_queued,
        {{ is_offered() }} as is_offered,
        {{ is_handled() }} as is_handled,
        {{ is_answered_within_threshold() }} as is_answered_within_threshold,
        case when {{ is_handled() }} then {{ handle_seconds() }} end
            as handle_seconds
    from recomputed_contacts
    where channel = 'voice'

),

queue_daily_aht as (

    select
        contact_date,
        queue,
        {{ safe_ratio('sum(handle_seconds)', 'count(handle_seconds)') }}
            as daily_aht_seconds
    from voice_contacts
    where is_handled
    group by 1, 2

),

interval_queue_contacts as (

    select
        interval_start_local,
        contact_date,
        queue,
        count(case when is_queued then 1 end) as queued_contacts,
        count(case when is_offered then 1 end) as offered_contacts,
        count(case when is_handled then 1 end) as handled_contacts,
        coalesce(sum(handle_seconds), 0) as handle_seconds,
        count(case when is_answered_within_threshold then 1 end)
            as answered_within_threshold
    from voice_contacts
    group by 1, 2, 3

),

-- the fallback AHT of an interval without handled contacts: each queue's
-- AHT of the local day, weighted by the queue's offered contacts in the
-- interval; queues without a handled voice contact that day drop out
interval_contacts as (

    select
        interval_queue_contacts.interval_start_local,
        cast(sum(interval_queue_contacts.queued_contacts) as {{ dbt.type_bigint() }})
            as queued_contacts,
        cast(sum(interval_queue_contacts.offered_contacts) as {{ dbt.type_bigint() }})
            as offered_contacts,
        cast(sum(interval_queue_contacts.handled_contacts) as {{ dbt.type_bigint() }})
            as handled_contacts,
        sum(interval_queue_contacts.handle_seconds) as handle_seconds,
        cast(
            sum(interval_queue_contacts.answered_within_threshold)
            as {{ dbt.type_bigint() }}
        ) as answered_within_threshold,
        -- summed as decimals: a sum of doubles depends on the order the
        -- rows are added in, which parallel aggregation does not fix (two
        -- builds of the same data differed in the last bit)
        sum(
            cast(
                interval_queue_contacts.offered_contacts
                * queue_daily_aht.daily_aht_seconds
                as decimal(38, 9)
            )
        ) as fallback_handle_seconds,
        sum(
            case
                when queue_daily_aht.daily_aht_seconds is not null
                    then interval_queue_contacts.offered_contacts
            end
        ) as fallback_weight_contacts
    from interval_queue_contacts
    left join queue_daily_aht
        on
            interval_queue_contacts.contact_date = queue_daily_aht.contact_date
            and interval_queue_contacts.queue = queue_daily_aht.queue
    group by 1

),

interval_agents as (

    select
        interval_start_local,
        sum(slice_seconds) as logged_in_seconds
    from recomputed_agent_state_intervals
    where is_logged_in
    group by 1

),

bounds as (

    select
        {{ first_rebuilt_interval(
            'min(active_intervals.interval_start_local)',
            'max(cast(previous_build.first_recomputed_date as timestamp))',
            'max(previous_build.built_first_interval_start_local)'
        ) }} as first_interval_start_local,
        max(active_intervals.interval_start_local) as last_interval_start_local
    from (
        select interval_start_local
        from interval_contacts
        where queued_contacts > 0
        union all
        select interval_start_local
        from interval_agents
        where logged_in_seconds > 0
    ) as active_intervals
    {% if is_incremental() %}
        cross join previous_build
    {% endif %}

),

intervals as (

    select
        {{ unnest_interval_starts(
            'first_interval_start_local', 'last_interval_start_local'
        ) }} as interval_start_local
    from bounds

),

interval_traffic as (

    select
        intervals.interval_start_local,
        coalesce(interval_contacts.offered_contacts, 0) as offered_contacts,
        coalesce(interval_contacts.handled_contacts, 0) as handled_contacts,
        coalesce(interval_contacts.handle_seconds, 0) as handle_seconds,
        coalesce(interval_contacts.answered_within_threshold, 0)
            as answered_within_threshold,
        coalesce(interval_agents.logged_in_seconds, 0) as logged_in_seconds,
        case
            when interval_contacts.handled_contacts > 0 then 'interval'
            when interval_contacts.fallback_weight_contacts > 0
                then 'queue_daily'
        end as aht_source,
        case
            when interval_contacts.handled_contacts > 0
                then {{ safe_ratio(
                    'interval_contacts.handle_seconds',
                    'interval_contacts.handled_contacts'
                ) }}
            else {{ safe_ratio(
                'interval_contacts.fallback_handle_seconds',
                'interval_contacts.fallback_weight_contacts'
            ) }}
        end as aht_seconds
    from intervals
    left join interval_contacts
        on intervals.interval_start_local = interval_contacts.interval_start_local
    left join interval_agents
        on intervals.interval_start_local = interval_agents.interval_start_local

),

interval_workload as (

    select
        *,
        case
            when offered_contacts = 0 then 0.0
            else offered_contacts * aht_seconds
        end as workload_seconds,
        case
            when offered_contacts = 0 then 0.0
            else
                offered_contacts * aht_seconds
                / ({{ var('interval_minutes') }} * 60.0)
        end as traffic_erlangs,
        logged_in_seconds / ({{ var('interval_minutes') }} * 60.0)
            as agents_logged_in,
        -- Erlang C counts whole agents: those present all interval long
        cast(
            floor(logged_in_seconds / ({{ var('interval_minutes') }} * 60.0))
            as integer
        ) as agents_for_prediction
    from interval_traffic

),

-- the traffic as measured, and 10% more of it for the buffer question
-- (x 110 / 100, exact for whole Erlangs where x 1.1 is not)
scenarios as (

    select
        'measured' as scenario,
        100 as volume_pct
    union all
    select
        'volume_plus_10pct' as scenario,
        110 as volume_pct

),

scenario_traffic as (

    select
        interval_workload.interval_start_local,
        scenarios.scenario,
        interval_workload.traffic_erlangs * scenarios.volume_pct / 100.0
            as scenario_traffic_erlangs,
        interval_workload.traffic_erlangs,
        interval_workload.aht_seconds,
        interval_workload.agents_for_prediction
    from interval_workload
    cross join scenarios
    where interval_workload.traffic_erlangs > 0

),

-- N runs far enough to pass the target (square-root staffing needs A + a
-- few sqrt(A)), the occupancy cap and the agents logged in
erlang_scenarios as (

    select
        interval_start_local,
        scenario,
        scenario_traffic_erlangs,
        aht_seconds,
        agents_for_prediction,
        cast(
            greatest(
                ceil(
                    scenario_traffic_erlangs
                    + 10 * sqrt(scenario_traffic_erlangs) + 30
                ),
                ceil(traffic_erlangs / {{ var('max_occupancy') }}) + 1,
                agents_for_prediction
            ) as integer
        ) as max_agents
    from scenario_traffic

),

-- Poisson terms A^N e^-A / N! up to a constant, in logs: N ln A - ln N!
-- (ln N! = lgamma(N + 1)), each over the largest one, at N = floor(A), so
-- that every sum over k <= N with N > A holds a 1 and nothing overflows.
-- Both in closed form: a running sum of ln k and a maximum per interval
-- were two windows over every term (10M contacts, the query alone:
-- 8.0-8.3 s -> 4.8-4.9 s, the same rows).
shifted_log_terms as (

    select
        erlang_scenarios.interval_start_local,
        erlang_scenarios.scenario,
        erlang_scenarios.scenario_traffic_erlangs,
        erlang_scenarios.aht_seconds,
        erlang_scenarios.agents_for_prediction,
        cast(series.agents as integer) as agents,
        {{ log_poisson_term(
            'series.agents', 'erlang_scenarios.scenario_traffic_erlangs'
        ) }}
        - {{ log_poisson_term(
            'floor(erlang_scenarios.scenario_traffic_erlangs)',
            'erlang_scenarios.scenario_traffic_erlangs'
        ) }} as shifted_log_term
    from erlang_scenarios,
        {{ number_series(0, 'erlang_scenarios.max_agents', 1) }}
            as series (agents)

),

scaled_terms as (

    select
        *,
        {{ exp_or_zero('shifted_log_term') }} as scaled_term
    from shifted_log_terms

),

-- Erlang B(N, A) = term(N) / sum of term(k) for k <= N
erlang_b_by_agents as (

    select
        interval_start_local,
        scenario,
        scenario_traffic_erlangs,
        aht_seconds,
        agents_for_prediction,
        agents,
        scaled_term / sum(scaled_term) over (
            partition by interval_start_local, scenario
            order by agents
            rows between unbounded preceding and current row
        ) as erlang_b
    from scaled_terms

),

erlang_c_by_agents as (

    select
        *,
        {{ erlang_c('erlang_b', 'agents', 'scenario_traffic_erlangs') }}
            as erlang_c
    from erlang_b_by_agents

),

erlang_predictions as (

    select
        *,
        {{ erlang_c_service_level(
            'erlang_c',
            'agents',
            'scenario_traffic_erlangs',
            'aht_seconds',
            var('service_level_seconds')
        ) }} as predicted_service_level,
        {{ erlang_c_asa(
            'erlang_c', 'agents', 'scenario_traffic_erlangs', 'aht_seconds'
        ) }} as predicted_asa_seconds
    from erlang_c_by_agents

),

required_agents as (

    select
        interval_start_local,
        min(agents) as agents_required
    from erlang_predictions
    where
        scenario = 'measured'
        and agents > scenario_traffic_erlangs
        and predicted_service_level >= {{ var('service_level_target') }}
        and scenario_traffic_erlangs / agents <= {{ var('max_occupancy') }}
    group by 1

),

predicted_for_logged_in as (

    select
        interval_start_local,
        max(
            case when scenario = 'measured' then predicted_service_level end
        ) as predicted_service_level,
        max(
            case
                when scenario = 'volume_plus_10pct' then predicted_asa_seconds
            end
        ) as predicted_asa_seconds_plus_10pct
    from erlang_predictions
    where agents = agents_for_prediction
    group by 1

),

staffing as (

    select
        interval_workload.*,
        case
            when interval_workload.traffic_erlangs = 0 then 0
            else required_agents.agents_required
        end as agents_required,
        predicted_for_logged_in.predicted_service_level,
        predicted_for_logged_in.predicted_asa_seconds_plus_10pct
    from interval_workload
    left join required_agents
        on interval_workload.interval_start_local = required_agents.interval_start_local
    left join predicted_for_logged_in
        on
            interval_workload.interval_start_local
            = predicted_for_logged_in.interval_start_local

),

final as (

    select
        interval_start_local,
        cast(interval_start_local as date) as interval_date,
        offered_contacts,
        handled_contacts,
        handle_seconds,
        aht_seconds,
        aht_source,
        workload_seconds,
        traffic_erlangs,
        agents_required,
        -- rounded to 6 decimals before ceil: 21 / (1 - 0.3) is
        -- 30.000000000000004 in binary floating point
        cast(
            ceil({{ round_double(
                'agents_required / (1 - ' ~ var('shrinkage') ~ ')', 6
            ) }}) as integer
        ) as agents_scheduled,
        logged_in_seconds,
        agents_logged_in,
        agents_for_prediction,
        -- Erlang C estimates, rounded: model outputs, not measurements
        {{ round_double('predicted_service_level', 4) }}
            as predicted_service_level,
        answered_within_threshold,
        {{ safe_ratio('answered_within_threshold', 'offered_contacts') }}
            as measured_service_level,
        {{ round_double('predicted_asa_seconds_plus_10pct', 1) }}
            as predicted_asa_seconds_plus_10pct
    from staffing

)

select * from final
