{#- The contract columns of an extract, in contract order: the keys of the
    seed's column_types in seeds/_seeds.yml. -#}
{% macro contract_columns(extract) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set node = graph.nodes.get('seed.' ~ project_name ~ '.' ~ extract) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error(
            "No contract for extract '" ~ extract ~ "' in seeds/_seeds.yml") }}
    {%- endif -%}
    {{ return(node.config.column_types.keys() | list) }}
{%- endmacro %}


{#- Where an extract is read from, and how that place is named in errors:
    the seed, or the files of var('extract_dir') (`pattern`, `format`). -#}
{% macro extract_location(extract) -%}
    {%- set extract_dir = var('extract_dir') -%}
    {%- if extract_dir is none -%}
        {%- set node = graph.nodes.get('seed.' ~ project_name ~ '.' ~ extract) -%}
        {{ return({'sql': ref(extract) | string, 'label': node.original_file_path}) }}
    {%- endif -%}
    {%- set fmt = var('extract_format') -%}
    {%- if fmt not in ['csv', 'parquet'] -%}
        {{ exceptions.raise_compiler_error(
            "var extract_format must be csv or parquet, not '" ~ fmt ~ "'") }}
    {%- endif -%}
    {%- set base = extract_dir.rstrip('/') ~ '/' ~ extract -%}
    {%- set found = namespace(pattern=none) -%}
    {%- for candidate in [base ~ '/*.' ~ fmt, base ~ '.' ~ fmt] -%}
        {%- if found.pattern is none
            and run_query("select count(*) from glob('" ~ candidate ~ "')").columns[0].values()[0] > 0 -%}
            {%- set found.pattern = candidate -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set pattern = found.pattern -%}
    {%- if pattern is none -%}
        {{ exceptions.raise_compiler_error(
            "Extract " ~ extract ~ ": no file matches " ~ base ~ "/*." ~ fmt
            ~ " nor " ~ base ~ "." ~ fmt) }}
    {%- endif -%}
    {{ return({
        'sql': extract_reader("'" ~ pattern ~ "'", fmt),
        'label': pattern, 'pattern': pattern, 'format': fmt,
    }) }}
{%- endmacro %}


{#- A reader of extract files (a glob pattern or a list, as SQL) that names
    each row's file in `source_file`. Every column is read as text, as the
    seeds are, so that staging parses each value and routes what it cannot
    parse to the rejects. -#}
{% macro extract_reader(files, fmt) -%}
    {%- if fmt == 'csv' -%}
        read_csv({{ files }}, header = true, all_varchar = true, union_by_name = true, filename = 'source_file')
    {%- else -%}
        read_parquet({{ files }}, union_by_name = true, filename = 'source_file')
    {%- endif -%}
{%- endmacro %}


{#- The files of an extract directory that `loaded` (the __checked model
    itself, on an incremental run) has no row from, as a SQL list; none when
    there are none. A file is loaded once: a correction or a re-send
    arrives as a new file (extracts.md, "Extract directory"). Files are told
    apart by name, not path: all of an extract's files are in one folder,
    and a moved or remounted extract directory must not load every file
    again (at 10M contacts that run filled the disk with spilled rows). -#}
{% macro new_extract_files(pattern, loaded) -%}
    {#- Without them an incremental run could not tell the files it loaded
        (source_file) or mark the rows it judged again (built_at). -#}
    {%- do require_columns(loaded, ['source_file', 'built_at']) -%}
    {%- set files = run_query(
        "select file from glob('" ~ pattern ~ "') where parse_filename(file) "
        ~ "not in (select parse_filename(source_file) from "
        ~ "(select distinct source_file from " ~ loaded ~ ")) order by file"
    ).columns[0].values() -%}
    {%- if files | length == 0 -%}{{ return(none) }}{%- endif -%}
    {{ return("['" ~ files | join("', '") ~ "']") }}
{%- endmacro %}


{#- A subquery holding exactly the contract columns of `extract`, as text,
    with the contract's lower-case names, whatever the case and order of the
    delivered header, and `source_file`, the file each row came from. A
    missing contract column stops the build with an error naming the file
    and the column; an extra column is ignored with a warning (extracts.md).
    With `loaded` (an incremental run of a __checked model, extract
    directory only), just the rows of the files `loaded` has none from. -#}
{% macro raw_extract(extract, loaded=none) -%}
    {%- if not execute -%}
        {#- Parsing only records the dependency on the seed. -#}
        {%- if var('extract_dir') is none -%}{%- do ref(extract) -%}{%- endif -%}
        {{ return('(select 1)') }}
    {%- endif -%}
    {%- set location = extract_location(extract) -%}
    {%- set expected = contract_columns(extract) -%}
    {%- set delivered = {} -%}
    {%- if var('extract_dir') is none and load_relation(ref(extract)) is none -%}
        {#- Compiling (sqlfluff, dbt compile) before any seed was loaded:
            assume the contract's names; `dbt build` loads seeds first. -#}
        {%- for column in expected -%}
            {%- do delivered.update({column: column}) -%}
        {%- endfor -%}
    {%- else -%}
        {%- set described = run_query('describe select * from ' ~ location.sql) -%}
        {%- for name in described.columns[0].values() if name != 'source_file' -%}
            {%- do delivered.update({name | lower: name}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for column in expected if column not in delivered -%}
        {{ exceptions.raise_compiler_error(
            "Extract " ~ location.label ~ " is missing required column '"
            ~ column ~ "'") }}
    {%- endfor -%}
    {%- for column in delivered if column not in expected -%}
        {%- do exceptions.warn(
            "Extract " ~ location.label ~ ": column '" ~ delivered[column]
            ~ "' is not in the contract and is ignored") -%}
    {%- endfor -%}
    {%- set from_files = location.pattern is defined -%}
    {%- set reader = location.sql -%}
    {%- set nothing_new = false -%}
    {%- if loaded is not none and from_files -%}
        {%- set new_files = new_extract_files(location.pattern, loaded) -%}
        {%- if new_files is none -%}
            {%- set nothing_new = true -%}
        {%- else -%}
            {%- set reader = extract_reader(new_files, location.format) -%}
        {%- endif -%}
    {%- endif -%}
    (
        select
        {%- for column in expected %}
            cast("{{ delivered[column] }}" as varchar) as {{ column }},
        {%- endfor %}
            {{ "source_file" if from_files else "'" ~ location.label ~ "'" }}
                as source_file
        from {{ reader }}
        {%- if nothing_new %}
        -- every file is loaded already
        where false
        {%- endif %}
    )
{%- endmacro %}


{#- Renames the contract columns of `extract` between their contract names
    and the `raw_` names under which the __checked models keep the text as
    delivered. -#}
{% macro raw_columns(extract, to_raw=true) -%}
    {%- for column in contract_columns(extract) -%}
        {%- if to_raw -%}
            {{ column }} as raw_{{ column }}
        {%- else -%}
            raw_{{ column }} as {{ column }}
        {%- endif -%}
        {{- ",\n        " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
