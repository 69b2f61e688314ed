{{ rejected_rows(ref('stg_contacts__checked'), 'raw_contacts') }}
