"""The security registry: which tests prove which fault or bad-input class (SECURITY.md's table).

Each class names the tests that try it, as ``module::function`` (every parametrized case of the
function counts, on every engine it runs on). ``tag`` (called from conftest's collection hook)
puts a ``security(CLASS)`` marker on each of them, so ``pytest -m security`` runs the security
suite and ``scripts/security_table.py`` counts it. A new test module may instead carry the marker
itself (``pytestmark = pytest.mark.security("...")``). Tests in ``SECURITY_MODULES`` that prove
nothing about security are listed in ``NOT_SECURITY``; ``tests/test_security_doc.py`` fails when a
name here matches no test, or a test in those modules is in neither list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SecurityClass:
    """One fault or bad-input class: its name, what the suite shows about it, and its tests."""

    name: str
    outcome: str
    tests: tuple[str, ...]


CLASSES: tuple[SecurityClass, ...] = (
    SecurityClass(
        "Read-only escapes (F1, F2, F4-F6, F24)",
        "refused with one line; no library loaded, no file written or read, no request, "
        "store unchanged",
        ("test_readonly::test_refused_on_the_engine",
         "test_readonly::test_unparseable_refused_with_its_own_message",
         "test_readonly::test_profile_is_refused_on_the_embedded_store_only",
         "test_readonly::test_review_commands_exit_1_with_one_line",
         "test_readonly::test_the_traps_see_a_real_escape",
         "test_readonly::test_neo4j_server_refuses_remote_and_file_load_csv",
         "test_readonly::test_embedded_query_opens_the_store_read_only",
         "test_readonly::test_rnkg_query_opens_the_embedded_store_read_only",
         "test_readonly::test_the_case_lists_are_counted_and_distinct",
         "test_backends::test_read_only_cannot_be_escaped",
         "test_backends::test_queries_are_read_only_unless_asked",
         "test_neo4j_only::test_write_query_is_refused_and_creates_nothing")),
    SecurityClass(
        "Read-only: legitimate reads still run",
        "every allowed read and every query rnkg itself sends passes the screen and runs",
        ("test_readonly::test_legitimate_reads_pass_and_run",
         "test_readonly::test_rnkg_own_reads_pass_the_screen")),
    SecurityClass(
        "Cypher injection (values, names, fact fields)",
        "hostile text stays data: found or not found, never run; store unchanged",
        ("test_injection::*",)),
    SecurityClass(
        "Resource bounds (alias bombs, nesting, sizes; F3, F23)",
        "one line naming file, line and limit, exit 1, in bounded time and memory",
        ("test_hostile_inputs::test_alias_bomb_is_refused_in_bounded_time_and_memory",
         "test_hostile_inputs::test_a_plain_alias_is_refused_with_its_line",
         "test_hostile_inputs::test_deep_nesting_is_one_line_not_a_recursion_error",
         "test_hostile_inputs::test_a_fact_file_over_the_size_limit_names_file_and_limit",
         "test_hostile_inputs::test_a_text_value_over_the_bound_is_refused_naming_its_field",
         "test_hostile_inputs::test_a_too_large_csv_field_names_its_line")),
    SecurityClass(
        "Bad fact files (F8, F9, F13, F17, F19-F22)",
        "one line per problem naming file, line and field, exit 1, nothing written",
        ("test_hostile_inputs::test_every_stderr_line_is_one_rnkg_line_helper_fails_on_a_traceback",
         "test_hostile_inputs::test_odd_keys_and_types_are_clean_errors",
         "test_hostile_inputs::test_integers_beyond_64_bits_are_refused_at_validation",
         "test_hostile_inputs::test_int64_max_itself_is_accepted",
         "test_hostile_inputs::test_a_huge_csv_integer_is_refused_with_its_line",
         "test_hostile_inputs::test_an_unreadable_fact_file_is_one_line",
         "test_hostile_inputs::test_errors_stay_one_line_with_the_line_number",
         "test_hostile_inputs::test_an_unknown_field_with_a_newline_in_its_name_is_shown_escaped",
         "test_hostile_inputs::test_a_non_utf8_csv_names_the_line_of_the_bad_byte",
         "test_hostile_inputs::test_fact_paths_that_are_not_regular_files_are_errors",
         "test_hostile_inputs::test_a_csv_with_a_bom_reads_like_one_without",
         "test_hostile_inputs::test_a_file_that_did_not_parse_comes_first_and_its_cascade_is_summarised",
         "test_hostile_inputs::test_dates_in_non_ascii_digits_are_refused",
         "test_hostile_inputs::test_csv_rows_after_a_multi_line_cell_keep_their_true_line",
         "test_cli::test_broken_facts_name_file_line_field_and_write_nothing")),
    SecurityClass(
        "Bad arguments and parameters (F9, F24)",
        "one line, exit 1 (or 2 for usage); never a traceback",
        ("test_hostile_inputs::test_a_big_integer_param_is_one_line",
         "test_hostile_inputs::test_a_big_integer_param_is_one_line_on_neo4j",
         "test_hostile_inputs::test_a_blank_query_is_one_line",
         "test_hostile_inputs::test_saved_query_params_are_checked_against_their_declared_type",
         "test_backends::test_a_missing_parameter_is_an_error_not_null",
         "test_cli::test_exit_codes_and_one_line_errors")),
    SecurityClass(
        "Fuzzing: fact files, CLI arguments, read-only query texts",
        "success, or exit 1 with every line `rnkg: `, or exit 2; never a traceback; nothing "
        "written by a read",
        ("test_fuzz::test_structured_random_yaml_records",
         "test_fuzz::test_mutated_mini_yaml_and_csv",
         "test_fuzz::test_random_bytes_as_fact_files",
         "test_fuzz::test_cli_arguments_on_the_embedded_store",
         "test_fuzz::test_random_generation_is_not_vacuous",
         "test_readonly::test_fuzzed_query_texts_succeed_or_fail_cleanly")),
    SecurityClass(
        "Faults: failed loads, lost server, damaged or locked store (F14, F18, F24)",
        "all or nothing: the store as it was; one line; a committed load reported committed",
        ("test_backends::test_a_load_failing_on_its_last_step_leaves_the_store_as_it_was",
         "test_backends::test_a_committed_load_is_reported_committed_when_the_counts_fail",
         "test_cli::test_down_server_is_one_sentence_not_a_traceback",
         "test_cli::test_a_damaged_or_foreign_store_file_is_one_sentence",
         "test_cli::test_a_store_in_use_by_another_process_is_named",
         "test_neo4j_only::test_wrong_password_is_one_sentence",
         "test_neo4j_only::test_tls_routing_uri_is_accepted_and_fails_cleanly_without_tls",
         "test_no_silent_loss::test_ctrl_c_during_a_big_embedded_load_prints_one_line_and_exits_1",
         "test_no_silent_loss::test_a_ctrl_c_that_native_code_swallowed_still_stops_the_load_before_it_commits",
         "test_no_silent_loss::test_a_ctrl_c_native_code_could_only_print_is_not_printed")),
    SecurityClass(
        "No silent loss (F11)",
        "an empty or mistyped --reset refuses and says what it would remove; --allow-empty asks",
        ("test_no_silent_loss::test_reset_with_an_empty_folder_refuses_and_says_what_it_would_remove",
         "test_no_silent_loss::test_reset_with_allow_empty_empties_the_store",
         "test_no_silent_loss::test_an_empty_folder_without_reset_still_loads_nothing_quietly",
         "test_no_silent_loss::test_reset_with_an_empty_folder_refuses_on_neo4j_too",
         "test_cli::test_a_reload_removes_what_the_facts_no_longer_hold_and_notes_foreign_rows",
         "test_neo4j_only::test_reset_deletes_only_rnkg_data")),
    SecurityClass(
        "Secrets (F7, F15)",
        "the password never on a command line, never printed; URI userinfo refused and masked",
        ("test_secrets::*",
         "test_neo4j_only::test_settings_never_show_the_password",
         "test_neo4j_only::test_provisioning_script_reports_status_and_hides_the_password")),
    SecurityClass(
        "Hostile terminal text and JSON (F10, F16)",
        "control characters escaped in tables, `show` and CSV to a TTY; JSON strict (no NaN)",
        ("test_output::test_show_escapes_control_characters_and_ignores_markup",
         "test_output::test_query_table_escapes_and_keeps_brackets",
         "test_output::test_csv_to_a_terminal_is_escaped_and_to_a_pipe_is_the_data",
         "test_output::test_json_keeps_the_data_and_escapes_every_control",
         "test_output::test_json_never_has_nan_or_infinity_on_either_engine",
         "test_output::test_cli_json_from_a_param_is_strict")),
    SecurityClass(
        "Hostile HTML and exports (F12, F13)",
        "payloads shown as text, no script runs, no request leaves the page; a page that "
        "cannot draw is refused; unwritable targets are one line",
        ("test_html_view::test_view_draws_offline_and_stays_inert",
         "test_html_view::test_written_file_links_nothing_remote",
         "test_html_view::test_relationships_without_rid_still_draw",
         "test_output::test_export_to_an_unwritable_path_is_one_line",
         "test_output::test_export_replaces_a_file_whole",
         "test_output::test_a_page_that_could_not_draw_is_refused_before_writing",
         "test_output::test_edges_without_rid_get_unique_ids",
         "test_output::test_a_title_quoting_the_data_is_escaped_too")),
)

# Modules where every test must be classified: here or in NOT_SECURITY.
SECURITY_MODULES = ("test_readonly", "test_hostile_inputs", "test_no_silent_loss",
                    "test_secrets", "test_output", "test_fuzz", "test_injection",
                    "test_review_fixes")
NOT_SECURITY = ("test_output::test_graphml_round_trip_through_the_list_rule",
                "test_output::test_cli_export_graphml_reads_back")


def registry_key(module: str, function: str) -> str:
    """The registry's name of a test: ``module::function``.

    >>> registry_key("tests/test_secrets.py", "test_x[neo4j]")
    'test_secrets::test_x'
    """
    stem = module.rsplit("/", 1)[-1].removesuffix(".py")
    return f"{stem}::{function.split('[', 1)[0]}"


def class_of(key: str) -> str | None:
    """The class whose list names ``key`` (exactly, or by its module's ``*``), else None.

    >>> class_of("test_secrets::test_anything")
    'Secrets (F7, F15)'
    >>> class_of("test_paths::test_x") is None
    True
    """
    for cls in CLASSES:
        for name in cls.tests:
            if name == key or (name.endswith("::*") and key.startswith(name[:-1])):
                return cls.name
    return None


def tag(items) -> None:
    """Put ``security(CLASS)`` on every collected item the registry names (pytest hook helper)."""
    import pytest

    for item in items:
        if item.get_closest_marker("security") is not None:
            continue
        found = class_of(registry_key(item.nodeid.split("::", 1)[0], item.originalname
                                  if hasattr(item, "originalname") else item.name))
        if found is not None:
            item.add_marker(pytest.mark.security(found))
