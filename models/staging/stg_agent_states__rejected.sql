{{ rejected_rows(ref('stg_agent_states__checked'), 'raw_agent_states') }}
