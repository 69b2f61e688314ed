{#- The value of every `built_at` column: when the dbt run that wrote the
    row started (UTC). An incremental run writes only the rows it rebuilt,
    so the rows with a table's greatest built_at are the latest build. -#}
{% macro built_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{#- On an incremental run: whether an upstream row (`column`, its built_at)
    was written after this model's latest build, which has not seen it. A
    row written in the same run as that build has been seen: every model of
    a run shares its start. An empty table has seen nothing. -#}
{% macro built_after_latest_build(column) -%}
    {{ column }} > ({{ latest_built_at(this) }})
{%- endmacro %}

{#- Stops an incremental run on a table (`built`) that an earlier version
    of this project built without `columns`, with an error naming the model
    to refresh, rather than a binder error or rows of another shape. A unit
    test's `this` is the name of its given rows: nothing to look up. -#}
{% macro require_columns(built, columns) -%}
    {%- if built is string -%}{{ return('') }}{%- endif -%}
    {%- set found = adapter.get_columns_in_relation(built)
        | map(attribute='name') | map('lower') | list -%}
    {%- for column in columns if column not in found -%}
        {{ exceptions.raise_compiler_error(
            "Table " ~ built ~ " has no column '" ~ column ~ "': it was "
            ~ "built by an earlier version of this project. Run dbt build "
            ~ "--full-refresh --select " ~ built.identifier) }}
    {%- endfor -%}
{%- endmacro %}

{#- The greatest built_at of `relation`, among the rows written before
    `written_before` if given; -infinity for no row. -#}
{% macro latest_built_at(relation, written_before=none) -%}
    {%- do require_columns(relation, ['built_at']) -%}
    select coalesce(max(built_at), cast('-infinity' as timestamp))
    from {{ relation }}
    {%- if written_before is not none %}
        where built_at < {{ written_before }}
    {%- endif %}
{%- endmacro %}

{#- dbt's `where` config of a data test, plus one word: `__latest_build__`
    limits the test to the rows of the tested table's latest build (its
    greatest built_at). After a full refresh that is every row. After an
    incremental run it is the rows the run rebuilt, so that a daily load on
    a year of history is not checked again row by row: at 10M contacts the
    uniqueness test of the agent state slices read 42M rows for 6-8 s, and
    0.2-0.3 s for the latest build. Use it only where a failure can only
    come from rows written in the same build (a key whose every row is
    rewritten together), and say why next to the test. -#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if not where -%}{{ return(relation) }}{%- endif -%}
    {%- set where = where | replace(
        '__latest_build__',
        'built_at = (select max(built_at) from ' ~ relation ~ ')'
    ) -%}
    {{ return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') }}
{%- endmacro %}

{#- On an incremental run of a fact derived from a row and its contact (its
    `contact_id`): whether the row (`rows`, an alias of the staged rows) was
    written after this model's latest build, or its contact was: by
    fct_contacts, and with `contact_left` also by stg_contacts__checked,
    whose judgement may have taken the contact out of fct_contacts. The
    contacts are read from the models, not from a CTE, which DuckDB would
    materialize with every column of every contact (1 s at 10M). -#}
{% macro written_since_with_contact(rows, contact_left=false) -%}
    {{ built_after_latest_build(rows ~ '.built_at') }}
    or {{ rows }}.contact_id in (
        select rewritten.contact_id
        from {{ ref('fct_contacts') }} as rewritten
        where {{ built_after_latest_build('rewritten.built_at') }}
        {%- if contact_left %}
            union all
            select rejudged.contact_id
            from {{ ref('stg_contacts__checked') }} as rejudged
            where {{ built_after_latest_build('rejudged.built_at') }}
        {%- endif %}
    )
{%- endmacro %}
