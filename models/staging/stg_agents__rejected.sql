{{ rejected_rows(ref('stg_agents__checked'), 'raw_agents') }}
