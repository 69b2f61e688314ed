-- Headline KPIs straight from the raw extracts: a hand-written DuckDB
-- baseline that the benchmark compares the dbt project against (speed and
-- agreement). No dbt, no intermediate tables: one query over the files.
--
-- Run as:
--     set variable extract_dir = '/path/to/extracts';
--     <this script>
-- The extracts are read as <extract_dir>/<extract>/*.parquet, every column
-- text, as in shared/spec/extracts.md (the only layout supported).
--
-- It returns one row per KPI (kpi, numerator, denominator, value) over the
-- whole data set (all dates, queues and channels together), with the
-- project's defaults service_level_seconds = 20, short_abandon_seconds = 5
-- and fcr_window_days = 7 (shared/spec/kpis.md):
--     service_level     handled with wait <= 20 s / offered
--     asa_seconds       sum of waits of handled / handled
--     abandonment_rate  abandoned (short abandons excluded) / offered
--     aht_seconds       talk + hold + acw of handled / handled
--     transfer_rate     handled with a transferred_to_queue / handled
--     operational_fcr   resolved / (resolved + repeated), pending excluded
--     csat              csat 4-5 / responses with csat
--     nps               100 * (promoters - detractors) / responses with nps
--     occupancy         on_contact + acw / (on_contact + acw + available)
-- value is null when the denominator is 0.
--
-- What it does:
--     * contacts are deduplicated: the row with the latest exported_at (the
--       greatest instant, whatever UTC offset it is written with) per
--       contact_id; a tie (none in generated data) goes to the last row
--       in file name and file row order, so that the same files always
--       give the same result (the project rejects a tie of rows that
--       differ as conflicting_duplicate; this script does not);
--     * text is trimmed, an empty string is null, enums are lower-cased,
--       timestamps are cast to timestamptz (their UTC offset is honoured);
--     * waits and durations are exact differences of instants in seconds;
--     * a survey counts only when its contact_id is a kept contact.
--
-- What it deliberately does not do: no validation and no reject routing.
-- It assumes every row is valid (the benchmark's data is generated with
-- --fault-rate 0): a row the project would reject (bad enum, timestamp
-- without an offset, timestamps out of order, out-of-range score,
-- overlapping agent states, a survey answered before its contact ended,
-- a conflicting duplicate...) is counted here as it stands, or makes a cast
-- fail. Survey ids and agent states are not deduplicated (they have no
-- re-sends in clean data). It reads only the three extracts these KPIs need.

with

-- contacts --------------------------------------------------------------------

parsed_contacts as (

    select
        trim(contact_id) as contact_id,
        cast(nullif(trim(exported_at), '') as timestamptz) as exported_at,
        nullif(trim(customer_id), '') as customer_id,
        lower(trim(channel)) as channel,
        lower(trim(direction)) as direction,
        lower(trim(outcome)) as outcome,
        nullif(trim(transferred_to_queue), '') as transferred_to_queue,
        cast(nullif(trim(arrived_at), '') as timestamptz) as arrived_at,
        cast(nullif(trim(queued_at), '') as timestamptz) as queued_at,
        cast(nullif(trim(answered_at), '') as timestamptz) as answered_at,
        cast(nullif(trim(ended_at), '') as timestamptz) as ended_at,
        cast(nullif(trim(talk_seconds), '') as bigint) as talk_seconds,
        cast(nullif(trim(hold_seconds), '') as bigint) as hold_seconds,
        cast(nullif(trim(acw_seconds), '') as bigint) as acw_seconds,
        filename,
        file_row_number
    from read_parquet(
        getvariable('extract_dir') || '/raw_contacts/*.parquet',
        filename = true,
        file_row_number = true
    )

),

-- the platform re-sends rows: keep the latest export of each contact.
-- Materialized: three parts of the query read it.
contacts as materialized (

    select * exclude (filename, file_row_number)
    from parsed_contacts
    qualify row_number() over (
        partition by contact_id
        order by exported_at desc, filename desc, file_row_number desc
    ) = 1

),

waits as (

    select
        *,
        direction = 'inbound' and queued_at is not null as is_queued,
        direction = 'inbound' and outcome = 'answered' as is_handled,
        -- wait: answered -> answered_at - queued_at, abandoned -> ended_at -
        -- queued_at, in exact seconds; null unless queued
        case
            when direction = 'inbound' and queued_at is not null and outcome = 'answered'
                then epoch(answered_at) - epoch(queued_at)
            when direction = 'inbound' and queued_at is not null and outcome = 'abandoned'
                then epoch(ended_at) - epoch(queued_at)
        end as wait_seconds,
        -- handle time = talk + hold + acw; on an answered contact a null
        -- hold or acw means 0
        talk_seconds + coalesce(hold_seconds, 0) + coalesce(acw_seconds, 0)
            as handle_seconds
    from contacts

),

classified as (

    select
        *,
        -- short abandon: abandoned with wait < short_abandon_seconds (5)
        coalesce(is_queued and outcome = 'abandoned' and wait_seconds < 5, false)
            as is_short_abandon
    from waits

),

contact_totals as (

    select
        -- service_level_seconds = 20, compared without rounding
        count(*) filter (where is_handled and wait_seconds <= 20)
            as answered_within_threshold,
        -- offered = queued - short abandons
        count(*) filter (where is_queued and not is_short_abandon) as offered,
        count(*) filter (where is_queued and outcome = 'abandoned' and not is_short_abandon)
            as abandoned,
        count(*) filter (where is_handled) as handled,
        coalesce(sum(wait_seconds) filter (where is_handled), 0) as handled_wait_seconds,
        coalesce(sum(handle_seconds) filter (where is_handled), 0) as handle_seconds,
        count(*) filter (where is_handled and transferred_to_queue is not null)
            as transferred,
        -- FCR windows are pending past the last arrival of all contacts
        max(arrived_at) as last_arrived_at
    from classified

),

-- operational FCR -------------------------------------------------------------

inbound_of_customers as (

    select
        customer_id,
        arrived_at
    from contacts
    where direction = 'inbound' and customer_id is not null

),

fcr_classified as (

    -- each handled contact of a known customer, with the same customer's
    -- first inbound contact (any channel, any outcome) that arrived after it
    -- ended. fcr_window_days = 7 is written as 168 exact hours: an interval
    -- in days would follow the session time zone's daylight saving.
    select
        case
            when handled.ended_at + interval 168 hour > contact_totals.last_arrived_at
                then 'pending'
            when next_inbound.arrived_at <= handled.ended_at + interval 168 hour
                then 'repeated'
            else 'resolved'
        end as fcr_status
    from contacts as handled
    asof left join inbound_of_customers as next_inbound
        on
            handled.customer_id = next_inbound.customer_id
            and handled.ended_at < next_inbound.arrived_at
    cross join contact_totals
    where
        handled.direction = 'inbound'
        and handled.outcome = 'answered'
        and handled.customer_id is not null

),

fcr_totals as (

    select
        count(*) filter (where fcr_status = 'resolved') as fcr_resolved,
        count(*) filter (where fcr_status in ('resolved', 'repeated')) as fcr_eligible
    from fcr_classified

),

-- surveys ---------------------------------------------------------------------

surveys as (

    select
        cast(nullif(trim(csat), '') as integer) as csat,
        cast(nullif(trim(nps), '') as integer) as nps
    from read_parquet(getvariable('extract_dir') || '/raw_surveys/*.parquet')
    where trim(contact_id) in (select contacts.contact_id from contacts)

),

survey_totals as (

    select
        count(*) filter (where csat >= 4) as csat_satisfied,
        count(csat) as csat_responses,
        count(*) filter (where nps >= 9) as nps_promoters,
        count(*) filter (where nps <= 6) as nps_detractors,
        count(nps) as nps_responses
    from surveys

),

-- agent states ----------------------------------------------------------------

agent_states as (

    select
        lower(trim(state)) as state,
        epoch(cast(nullif(trim(ended_at), '') as timestamptz))
        - epoch(cast(nullif(trim(started_at), '') as timestamptz)) as state_seconds
    from read_parquet(getvariable('extract_dir') || '/raw_agent_states/*.parquet')

),

agent_state_totals as (

    select
        coalesce(sum(state_seconds) filter (where state in ('on_contact', 'acw')), 0)
            as handling_seconds,
        coalesce(sum(state_seconds) filter (where state = 'available'), 0)
            as available_seconds
    from agent_states

),

-- headline rows ---------------------------------------------------------------

headline as (

    select
        1 as kpi_order,
        'service_level' as kpi,
        answered_within_threshold as numerator,
        offered as denominator
    from contact_totals
    union all
    select
        2 as kpi_order,
        'asa_seconds' as kpi,
        handled_wait_seconds as numerator,
        handled as denominator
    from contact_totals
    union all
    select
        3 as kpi_order,
        'abandonment_rate' as kpi,
        abandoned as numerator,
        offered as denominator
    from contact_totals
    union all
    select
        4 as kpi_order,
        'aht_seconds' as kpi,
        handle_seconds as numerator,
        handled as denominator
    from contact_totals
    union all
    select
        5 as kpi_order,
        'transfer_rate' as kpi,
        transferred as numerator,
        handled as denominator
    from contact_totals
    union all
    select
        6 as kpi_order,
        'operational_fcr' as kpi,
        fcr_resolved as numerator,
        fcr_eligible as denominator
    from fcr_totals
    union all
    select
        7 as kpi_order,
        'csat' as kpi,
        csat_satisfied as numerator,
        csat_responses as denominator
    from survey_totals
    union all
    select
        8 as kpi_order,
        'nps' as kpi,
        100 * (nps_promoters - nps_detractors) as numerator,
        nps_responses as denominator
    from survey_totals
    union all
    select
        9 as kpi_order,
        'occupancy' as kpi,
        handling_seconds as numerator,
        handling_seconds + available_seconds as denominator
    from agent_state_totals

)

select
    cast(kpi as varchar) as kpi,
    cast(numerator as double) as numerator,
    cast(denominator as double) as denominator,
    cast(numerator as double) / nullif(denominator, 0) as value
from headline
order by kpi_order;
