{{ config(materialized='table') }}

-- One row per extract, row status and reason: what the last build loaded,
-- rejected (by reject_reason) and dropped as superseded duplicates (by
-- duplicate_status: an older export, or an identical re-send tied on its
-- key and export time, whose tie was broken by keeping one).

{%- set extracts = [
    'contacts', 'cases', 'surveys', 'agents', 'agent_states',
    'qa_evaluations', 'employee_surveys', 'costs', 'revenue', 'fx_rates',
] %}

with

final as (

    {%- for extract in extracts %}

        select
            '{{ "fx_rates" if extract == "fx_rates" else "raw_" ~ extract }}'
                as extract_name,
            row_status,
            coalesce(reject_reason, duplicate_status) as reason,
            count(*) as row_count
        from {{ ref('stg_' ~ extract ~ '__checked') }}
        group by 1, 2, 3
        {% if not loop.last %}union all{% endif %}

    {%- endfor %}

)

select * from final
