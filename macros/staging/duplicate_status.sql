{#- How a row relates to the other rows with its key (extracts.md):
    'superseded_older'     a newer version (greater `version_column`) exists;
    'conflicting'          rows tied on key (and version) differ;
    'superseded_identical' an identical tied row is kept instead;
    null                   the row is the one kept, or has no usable key.
    Of identical tied rows, the one kept is the first by its raw text (they
    may differ in case, spacing or UTC offset), so that the choice does not
    depend on file order. -#}
{% macro duplicate_status(extract, key_columns, fingerprint, version_column=none) -%}
    {%- set keys = key_columns | join(', ') -%}
    {%- set raw_text -%}
        concat_ws('|', {% for column in contract_columns(extract) -%}
            raw_{{ column }}{{ ', ' if not loop.last }}
        {%- endfor %})
    {%- endset -%}
    {%- set tie = keys ~ (', ' ~ version_column if version_column else '') -%}
    case
        when {{ key_columns | join(' is null or ') }} is null
            {%- if version_column %} or {{ version_column }} is null{% endif %}
            then null
        {%- if version_column %}
        when {{ version_column }}
            < max({{ version_column }}) over (partition by {{ keys }})
            then 'superseded_older'
        {%- endif %}
        when min({{ fingerprint }}) over (partition by {{ tie }})
            <> max({{ fingerprint }}) over (partition by {{ tie }})
            then 'conflicting'
        when row_number() over (partition by {{ tie }} order by {{ raw_text }}) > 1
            then 'superseded_identical'
    end
{%- endmacro %}

{#- A fingerprint of the parsed values of a row, to tell identical re-sends
    from conflicting ones whatever case, spacing or UTC offset they were
    written with. -#}
{% macro row_fingerprint(columns) -%}
    md5(concat_ws('|'
        {%- for column in columns %},
        coalesce(cast({{ column }} as varchar), '<null>')
        {%- endfor %}
    ))
{%- endmacro %}

{#- `relation` (a CTE of the calling model) with its duplicate_status
    column. Only the rows whose key occurs more than once need the window
    functions of duplicate_status(); a grouped count finds those keys and
    every other row gets null without them. At millions of rows the sorts
    of those windows were most of the staging time, and re-sends are rare.
    The repeated keys are a materialized CTE because both branches read
    them: inlined, DuckDB scanned and grouped every key twice (10M rows,
    same output: stg_agent_states__checked 37.9 -> 36.0 s, stg_cases__checked
    10.8 -> 9.0 s, stg_contacts__checked 32.5 -> 31.7 s). -#}
{% macro with_duplicate_status(
    relation, extract, key_columns, fingerprint, version_column=none
) -%}
    {%- set matches -%}
        {%- for column in key_columns -%}
            repeated_keys.{{ column }} = keyed.{{ column }}
            {{- ' and ' if not loop.last }}
        {%- endfor -%}
    {%- endset -%}
    with repeated_keys as materialized (
        select {{ key_columns | join(', ') }}
        from {{ relation }}
        group by {{ key_columns | join(', ') }}
        having count(*) > 1
    )

    select
        keyed.*,
        cast(null as varchar) as duplicate_status
    from {{ relation }} as keyed
    where not exists (
        select 1 from repeated_keys where {{ matches }}
    )
    union all
    select
        keyed.*,
        {{ duplicate_status(extract, key_columns, fingerprint, version_column) }}
            as duplicate_status
    from {{ relation }} as keyed
    where exists (
        select 1 from repeated_keys where {{ matches }}
    )
{%- endmacro %}

{#- On an incremental run of a __checked model: the loaded rows of every
    `key` (a column, or a list of columns) among the rows of `arrived`,
    with the columns they were parsed into (`derived`: the columns the model
    computes after parsing, besides the status columns), so that they are
    judged again together with the new rows, as a full refresh would judge
    them. A key with a null matches nothing. -#}
{% macro loaded_rows_of_keys(arrived, key, derived=[]) -%}
    {%- set keys = ([key] if key is string else key) | join(', ') -%}
    select * exclude (
        {%- for column in derived %}{{ column }}, {% endfor -%}
        {{ judgement_columns() }}
    )
    from {{ this }}
    where ({{ keys }}) in (
        -- the loaded keys among them, found reading the key columns alone:
        -- DuckDB reads every column of every loaded row for a semi join
        -- with the arrived keys, but skips that when the loaded keys found
        -- are none (10M contacts, a day without re-sends: 1.9-3.2 s ->
        -- 0.2 s; 400 re-sent keys: 2.3 s either way)
        select {{ keys }} from {{ this }}
        where ({{ keys }}) in (select {{ keys }} from {{ arrived }})
    )
{%- endmacro %}

{#- The columns a __checked model writes when it judges a row (its outcome
    and the run that judged it), which a loaded row leaves out to be judged
    again. -#}
{% macro judgement_columns() -%}
    duplicate_status, reject_reason, row_status, built_at
{%- endmacro %}
