{{ rejected_rows(ref('stg_employee_surveys__checked'), 'raw_employee_surveys') }}
