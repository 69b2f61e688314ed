{#- Agent-state classes of kpis.md ("Agents"), as SQL expressions over the
    `state` column of fct_agent_state_intervals. fct_agent_state_intervals
    stores the same flags for analysts; the agent KPI views (kpi_occupancy,
    kpi_utilization, kpi_agent_productivity, kpi_agent_leaderboard) derive
    them from `state` with these macros, so that each view's unit test pins
    the definition and no view re-implements one. -#}

{#- Handling time: on a contact or in after-contact work. -#}
{% macro is_handling_state() -%}
    (state in ('on_contact', 'acw'))
{%- endmacro %}

{#- Available: idle and ready for a contact. -#}
{% macro is_available_state() -%}
    (state = 'available')
{%- endmacro %}

{#- Logged-in time is every state but offline (extracts.md). -#}
{% macro is_logged_in_state() -%}
    (state <> 'offline')
{%- endmacro %}
