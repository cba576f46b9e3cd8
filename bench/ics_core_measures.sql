-- Core ICS measures in SQL: the DuckDB equivalent of definitions/ics_core_measures.sev, written
-- the way an ICS analyst would write it against the same data. bench/run_engine_bench.sh runs it
-- with bench/engine_duckdb.mjs and checks that it gives exactly the numbers `severn run` gives.
--
-- Tables (loaded by `engine_duckdb.mjs prepare` from `severn export`; column names as in the
-- store, docs/store.md). Every table has person_id and row_id, the row's position in the store.
-- The store keeps each person's rows sorted by date, stable on source order (docs/store.md), so
-- within a person a higher row_id is a later row, and on the same date a later-loaded one: the
-- order latest() uses. "The latest row" is therefore the one with the highest row_id.
--   patients, practice_registrations, clinical_events, medications, apcs, ec, opa
--   codelists (codelist, code)           the .sev file's code lists, under the .sev names
--   practices (practice_code, pcn_code, place), lsoas (lsoa21_code, imd_decile)
--
-- Rules carried over from the definition language (docs/language.md):
--   * each month is counted on its last day (index_date); interval_start is its first day;
--   * `date in (index_date - 12 months, index_date]` is date > minus_12m AND date <= index_date,
--     with months moved on the calendar and clamped to the month end (DuckDB's INTERVAL does the
--     same: 2025-02-28 - 6 months = 2024-08-28);
--   * a null condition is not true, and count_if() counts only true, so SQL's three-valued logic
--     gives the same counts as the definition's;
--   * a person counts in a denominator if registered on the index date and the denominator holds,
--     and in the numerator if the numerator also holds;
--   * groups with a zero denominator are not reported, except each month's 'all' row (0 of 0,
--     with an empty value); a month with nobody at all in the population would have no rows.
--
-- Output: measure, interval_start, interval_end, breakdown, group, numerator, denominator, value,
-- as in Severn's measures.csv (value to 6 decimals).
WITH
-- The 12 monthly intervals (intervals monthly from 2024-04-01 to 2025-03-31), with the start of
-- each look-back window.
months AS (
  SELECT CAST(m AS DATE) AS interval_start,
         CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS index_date
  FROM generate_series(TIMESTAMP '2024-04-01', TIMESTAMP '2025-03-01', INTERVAL 1 MONTH) AS g(m)
),
windows AS (
  SELECT interval_start, index_date,
         CAST(index_date - INTERVAL 6 MONTH AS DATE) AS minus_6m,
         CAST(index_date - INTERVAL 12 MONTH AS DATE) AS minus_12m,
         CAST(index_date - INTERVAL 5 YEAR AS DATE) AS minus_5y
  FROM months
),

-- population registered_on(index_date): a registration covering the day. The practice for the
-- Place and PCN breakdowns is that of the latest-starting such registration.
registered AS (
  SELECT w.index_date, r.person_id, arg_max_null(r.practice_code, r.row_id) AS practice_code
  FROM windows w
  JOIN practice_registrations r
    ON r.start_date <= w.index_date AND (r.end_date IS NULL OR r.end_date >= w.index_date)
  GROUP BY ALL
),

-- Per person: the breakdowns that do not change from month to month.
people AS (
  SELECT p.person_id, p.date_of_birth,
    -- IMD 2025 quintile of the person's LSOA (1 = most deprived)
    coalesce(CAST((l.imd_decile + 1) // 2 AS VARCHAR), 'unknown') AS imd_quintile,
    -- ONS 5+1 groups of the NHS 16+1 ethnic categories
    CASE WHEN p.ethnic_category IN ('A', 'B', 'C') THEN 'White'
         WHEN p.ethnic_category IN ('D', 'E', 'F', 'G') THEN 'Mixed'
         WHEN p.ethnic_category IN ('H', 'J', 'K', 'L') THEN 'Asian or Asian British'
         WHEN p.ethnic_category IN ('M', 'N', 'P') THEN 'Black or Black British'
         WHEN p.ethnic_category IN ('R', 'S') THEN 'Other ethnic groups'
         WHEN p.ethnic_category = 'Z' THEN 'Not stated'
         ELSE 'unknown' END AS ethnicity_group
  FROM patients p
  LEFT JOIN lsoas l ON l.lsoa21_code = p.lsoa21_code
),

-- One row per person in the population and month, with the five breakdowns.
population AS (
  SELECT w.*, r.person_id, a.age,
    CASE WHEN r.practice_code IS NULL THEN 'unregistered' ELSE coalesce(pr.place, 'unknown') END AS place,
    CASE WHEN r.practice_code IS NULL THEN 'unregistered' ELSE coalesce(pr.pcn_code, 'unknown') END AS pcn,
    p.imd_quintile, p.ethnicity_group,
    -- five-year bands to 90+
    CASE WHEN a.age IS NULL THEN 'unknown'
         WHEN a.age >= 90 THEN '90+'
         ELSE format('{}-{}', a.age // 5 * 5, a.age // 5 * 5 + 4) END AS age_band
  FROM registered r
  JOIN windows w USING (index_date)
  JOIN people p USING (person_id)
  -- let age = patients.age_on(index_date): completed years, null before the date of birth
  CROSS JOIN LATERAL (
    SELECT CASE WHEN p.date_of_birth <= w.index_date THEN
             year(w.index_date) - year(p.date_of_birth)
             - CASE WHEN month(w.index_date) < month(p.date_of_birth)
                      OR (month(w.index_date) = month(p.date_of_birth) AND day(w.index_date) < day(p.date_of_birth))
                    THEN 1 ELSE 0 END
           END AS age
  ) a
  LEFT JOIN practices pr ON pr.practice_code = r.practice_code
),

-- GP events with a code in one of the code lists (one row per event and list).
coded_events AS (
  SELECT e.person_id, e.row_id, e.date, e.snomedct_code AS code, e.numeric_value AS value, c.codelist
  FROM clinical_events e
  JOIN codelists c ON c.code = e.snomedct_code
),

-- Registers: the first date each person was coded with each list. "Ever coded on or before the
-- month end" is then first_date <= index_date.
first_coded AS (
  SELECT person_id,
    min(date) FILTER (WHERE codelist = 'hyp') AS hyp,
    min(date) FILTER (WHERE codelist = 'dm') AS dm,
    min(date) FILTER (WHERE codelist = 'af') AS af,
    min(date) FILTER (WHERE codelist = 'chd') AS chd,
    min(date) FILTER (WHERE codelist = 'copd') AS copd,
    min(date) FILTER (WHERE codelist = 'asthma') AS asthma,
    min(date) FILTER (WHERE codelist = 'smi') AS smi,
    min(date) FILTER (WHERE codelist = 'dementia') AS dementia,
    min(date) FILTER (WHERE codelist = 'depr') AS depr,
    min(date) FILTER (WHERE codelist = 'ld') AS ld,
    min(date) FILTER (WHERE codelist = 'ckd') AS ckd,
    min(date) FILTER (WHERE codelist = 'hf') AS hf,
    min(date) FILTER (WHERE codelist IN ('stroke', 'tia')) AS stroke,
    min(date) FILTER (WHERE codelist IN ('modfrail', 'sevfrail')) AS frail,
    min(date) FILTER (WHERE codelist = 'osteo') AS osteo,
    min(date) FILTER (WHERE codelist = 'epil') AS epil,
    min(date) FILTER (WHERE codelist = 'rarth') AS rarth,
    min(date) FILTER (WHERE codelist = 'pad') AS pad,
    min(date) FILTER (WHERE codelist = 'carehome') AS carehome,
    min(date) FILTER (WHERE codelist = 'ndh') AS ndh
  FROM coded_events
  GROUP BY person_id
),

-- Care processes: GP events in the 12 months up to each month end. The value of latest() is
-- that of the row with the highest row_id, even when it is null (arg_max_null).
recent_events AS (
  SELECT w.index_date, e.person_id,
    -- last_hba1c, hba1c_tests
    arg_max_null(e.value, e.row_id) FILTER (WHERE e.codelist = 'hba1c') AS last_hba1c,
    count(*) FILTER (WHERE e.codelist = 'hba1c') AS hba1c_tests,
    -- bp_recorded, last_12m_sbp, last_12m_dbp
    bool_or(e.codelist = 'sbp') AS bp_recorded,
    arg_max_null(e.value, e.row_id) FILTER (WHERE e.codelist = 'sbp') AS last_12m_sbp,
    arg_max_null(e.value, e.row_id) FILTER (WHERE e.codelist = 'dbp') AS last_12m_dbp,
    -- retinal_12m, foot_12m, acr_12m, flu_season
    bool_or(e.codelist = 'retinal') AS retinal_12m,
    bool_or(e.codelist = 'foot') AS foot_12m,
    bool_or(e.codelist = 'acr') AS acr_12m,
    bool_or(e.codelist = 'flu') AS flu_season
  FROM windows w
  JOIN coded_events e ON e.date > w.minus_12m AND e.date <= w.index_date
  WHERE e.codelist IN ('hba1c', 'sbp', 'dbp', 'retinal', 'foot', 'acr', 'flu')
  GROUP BY ALL
),

-- last_bmi: the latest BMI value in the 5 years up to each month end.
recent_bmi AS (
  SELECT w.index_date, e.person_id, arg_max_null(e.value, e.row_id) AS last_bmi
  FROM windows w
  JOIN coded_events e ON e.date > w.minus_5y AND e.date <= w.index_date
  WHERE e.codelist = 'bmi'
  GROUP BY ALL
),

-- smoking_status: the latest smoking code on or before the month end (any of the three lists).
smoking AS (
  SELECT w.index_date, e.person_id, arg_max(e.code, e.row_id) AS smoking_code
  FROM windows w
  JOIN coded_events e ON e.date <= w.index_date
  WHERE e.codelist IN ('smoker', 'exsmok', 'nevsmok')
  GROUP BY ALL
),

-- Medication issues: anticoag and on_statin in 6 months, inhaled_ics in 12 months.
recent_medications AS (
  SELECT w.index_date, m.person_id,
    bool_or(c.codelist IN ('doac', 'warfarin') AND m.date > w.minus_6m) AS anticoag,
    bool_or(c.codelist = 'statin' AND m.date > w.minus_6m) AS on_statin,
    bool_or(c.codelist IN ('ics', 'icslaba')) AS inhaled_ics
  FROM windows w
  JOIN medications m ON m.date > w.minus_12m AND m.date <= w.index_date
  JOIN codelists c ON c.code = m.dmd_code
  WHERE c.codelist IN ('doac', 'warfarin', 'statin', 'ics', 'icslaba')
  GROUP BY ALL
),

-- emergency_in_month: an emergency admission (method 2x) within the month itself.
emergency_admissions AS (
  SELECT DISTINCT w.index_date, a.person_id, true AS emergency_in_month
  FROM windows w
  JOIN apcs a ON a.admission_date >= w.interval_start AND a.admission_date <= w.index_date
  WHERE a.admission_method IN ('21', '22', '23', '24', '25', '2A', '2B', '2C', '2D')
),

-- chronic_admit: an admission in 12 months with a chronic condition as the primary diagnosis or
-- among the secondary diagnoses.
chronic_admissions AS (
  SELECT DISTINCT w.index_date, a.person_id, true AS chronic_admit
  FROM windows w
  JOIN apcs a ON a.admission_date > w.minus_12m AND a.admission_date <= w.index_date
  WHERE a.primary_diagnosis IN (SELECT code FROM codelists WHERE codelist = 'chronic')
     OR list_has_any(a.secondary_diagnoses, (SELECT list(code) FROM codelists WHERE codelist = 'chronic'))
),

-- ec_12m_count and ec_12m_spells: ED attendances in 12 months, and episodes of them (a new
-- episode starts when an attendance comes more than 7 days after the previous one).
ed_attendances AS (
  SELECT w.index_date, a.person_id, a.arrival_date,
    lag(a.arrival_date) OVER (PARTITION BY w.index_date, a.person_id ORDER BY a.arrival_date, a.row_id) AS previous_arrival
  FROM windows w
  JOIN ec a ON a.arrival_date > w.minus_12m AND a.arrival_date <= w.index_date
),
ed AS (
  SELECT index_date, person_id,
    count(*) AS ec_12m_count,
    count(*) FILTER (WHERE previous_arrival IS NULL OR arrival_date > previous_arrival + 7) AS ec_12m_spells
  FROM ed_attendances
  GROUP BY ALL
),

-- outpatient_specialties: distinct treatment functions of outpatient appointments in 12 months.
outpatients AS (
  SELECT w.index_date, o.person_id, count(DISTINCT o.treatment_function_code) AS outpatient_specialties
  FROM windows w
  JOIN opa o ON o.appointment_date > w.minus_12m AND o.appointment_date <= w.index_date
  GROUP BY ALL
),

-- Every let of the .sev file the measures use, one row per person in the population and month.
person_month AS (
  SELECT p.interval_start, p.index_date, p.place, p.pcn, p.imd_quintile, p.ethnicity_group, p.age_band,
    p.age,
    coalesce(f.hyp <= p.index_date, false) AS has_hyp,
    coalesce(f.dm <= p.index_date, false) AS has_dm,
    coalesce(f.af <= p.index_date, false) AS has_af,
    coalesce(f.chd <= p.index_date, false) AS has_chd,
    coalesce(f.copd <= p.index_date, false) AS has_copd,
    coalesce(f.asthma <= p.index_date, false) AS has_asthma,
    coalesce(f.smi <= p.index_date, false) AS has_smi,
    coalesce(f.dementia <= p.index_date, false) AS has_dementia,
    coalesce(f.depr <= p.index_date, false) AS has_depr,
    coalesce(f.ld <= p.index_date, false) AS has_ld,
    coalesce(f.ckd <= p.index_date, false) AS has_ckd,
    coalesce(f.hf <= p.index_date, false) AS has_hf,
    coalesce(f.stroke <= p.index_date, false) AS has_stroke,
    coalesce(f.frail <= p.index_date, false) AS frail,
    coalesce(f.osteo <= p.index_date, false) AS has_osteo,
    coalesce(f.epil <= p.index_date, false) AS has_epil,
    coalesce(f.rarth <= p.index_date, false) AS has_rarth,
    coalesce(f.pad <= p.index_date, false) AS has_pad,
    coalesce(f.carehome <= p.index_date, false) AS in_care_home,
    coalesce(f.ndh <= p.index_date, false) AS has_ndh,
    e.last_hba1c, b.last_bmi, e.last_12m_sbp, e.last_12m_dbp,
    coalesce(e.hba1c_tests, 0) AS hba1c_tests,
    coalesce(e.bp_recorded, false) AS bp_recorded,
    coalesce(e.retinal_12m, false) AS retinal_12m,
    coalesce(e.foot_12m, false) AS foot_12m,
    coalesce(e.acr_12m, false) AS acr_12m,
    coalesce(e.flu_season, false) AS flu_season,
    s.smoking_code IN (SELECT code FROM codelists WHERE codelist = 'smoker') AS current_smoker,
    coalesce(m.anticoag, false) AS anticoag,
    coalesce(m.on_statin, false) AS on_statin,
    coalesce(m.inhaled_ics, false) AS inhaled_ics,
    coalesce(ea.emergency_in_month, false) AS emergency_in_month,
    coalesce(ed.ec_12m_count, 0) AS ec_12m_count,
    coalesce(ed.ec_12m_spells, 0) AS ec_12m_spells,
    coalesce(ca.chronic_admit, false) AS chronic_admit,
    coalesce(o.outpatient_specialties, 0) AS outpatient_specialties
  FROM population p
  LEFT JOIN first_coded f USING (person_id)
  LEFT JOIN recent_events e USING (index_date, person_id)
  LEFT JOIN recent_bmi b USING (index_date, person_id)
  LEFT JOIN smoking s USING (index_date, person_id)
  LEFT JOIN recent_medications m USING (index_date, person_id)
  LEFT JOIN emergency_admissions ea USING (index_date, person_id)
  LEFT JOIN ed USING (index_date, person_id)
  LEFT JOIN chronic_admissions ca USING (index_date, person_id)
  LEFT JOIN outpatients o USING (index_date, person_id)
),
derived AS (
  SELECT *,
    has_chd OR has_stroke OR has_pad AS has_cvd,
    CASE WHEN age < 80 THEN last_12m_sbp <= 140 AND last_12m_dbp <= 90
         ELSE last_12m_sbp <= 150 AND last_12m_dbp <= 90 END AS bp_to_target
  FROM person_month
),

-- Each measure's denominator and numerator, counted per month and combination of the five
-- breakdowns. A person counts in the numerator only when also in the denominator.
counts AS (
  SELECT interval_start, index_date, place, pcn, imd_quintile, ethnicity_group, age_band,
    unnest([
      {'measure': 'hypertension_prevalence',
       'denominator': count(*), 'numerator': count_if(has_hyp)},
      {'measure': 'diabetes_prevalence_17plus',
       'denominator': count_if(age >= 17), 'numerator': count_if(age >= 17 AND has_dm)},
      {'measure': 'af_prevalence',
       'denominator': count(*), 'numerator': count_if(has_af)},
      {'measure': 'chd_prevalence',
       'denominator': count(*), 'numerator': count_if(has_chd)},
      {'measure': 'copd_prevalence',
       'denominator': count(*), 'numerator': count_if(has_copd)},
      {'measure': 'asthma_prevalence_6plus',
       'denominator': count_if(age >= 6), 'numerator': count_if(age >= 6 AND has_asthma)},
      {'measure': 'smi_prevalence',
       'denominator': count(*), 'numerator': count_if(has_smi)},
      {'measure': 'dementia_prevalence',
       'denominator': count(*), 'numerator': count_if(has_dementia)},
      {'measure': 'depression_prevalence_18plus',
       'denominator': count_if(age >= 18), 'numerator': count_if(age >= 18 AND has_depr)},
      {'measure': 'ld_prevalence',
       'denominator': count(*), 'numerator': count_if(has_ld)},
      {'measure': 'ckd_prevalence_18plus',
       'denominator': count_if(age >= 18), 'numerator': count_if(age >= 18 AND has_ckd)},
      {'measure': 'heart_failure_prevalence',
       'denominator': count(*), 'numerator': count_if(has_hf)},
      {'measure': 'stroke_tia_prevalence',
       'denominator': count(*), 'numerator': count_if(has_stroke)},
      {'measure': 'diabetes_hba1c_58_or_less',
       'denominator': count_if(has_dm), 'numerator': count_if(has_dm AND last_hba1c <= 58)},
      {'measure': 'hypertension_bp_recorded',
       'denominator': count_if(has_hyp), 'numerator': count_if(has_hyp AND bp_recorded)},
      {'measure': 'obesity_18plus',
       'denominator': count_if(age >= 18 AND last_bmi IS NOT NULL), 'numerator': count_if(age >= 18 AND last_bmi IS NOT NULL AND last_bmi >= 30)},
      {'measure': 'af_anticoagulated',
       'denominator': count_if(has_af), 'numerator': count_if(has_af AND anticoag)},
      {'measure': 'frailty_moderate_severe_65plus',
       'denominator': count_if(age >= 65), 'numerator': count_if(age >= 65 AND frail)},
      {'measure': 'osteoporosis_prevalence_50plus',
       'denominator': count_if(age >= 50), 'numerator': count_if(age >= 50 AND has_osteo)},
      {'measure': 'epilepsy_prevalence_18plus',
       'denominator': count_if(age >= 18), 'numerator': count_if(age >= 18 AND has_epil)},
      {'measure': 'rheumatoid_arthritis_prevalence_16plus',
       'denominator': count_if(age >= 16), 'numerator': count_if(age >= 16 AND has_rarth)},
      {'measure': 'pad_prevalence',
       'denominator': count(*), 'numerator': count_if(has_pad)},
      {'measure': 'care_home_residents_65plus',
       'denominator': count_if(age >= 65), 'numerator': count_if(age >= 65 AND in_care_home)},
      {'measure': 'non_diabetic_hyperglycaemia_18plus',
       'denominator': count_if(age >= 18), 'numerator': count_if(age >= 18 AND has_ndh)},
      {'measure': 'current_smokers_15plus',
       'denominator': count_if(age >= 15), 'numerator': count_if(age >= 15 AND current_smoker)},
      {'measure': 'hypertension_treated_to_target',
       'denominator': count_if(has_hyp), 'numerator': count_if(has_hyp AND bp_to_target)},
      {'measure': 'cvd_on_statin',
       'denominator': count_if(has_cvd), 'numerator': count_if(has_cvd AND on_statin)},
      {'measure': 'diabetes_retinal_screening',
       'denominator': count_if(has_dm), 'numerator': count_if(has_dm AND retinal_12m)},
      {'measure': 'diabetes_foot_check',
       'denominator': count_if(has_dm), 'numerator': count_if(has_dm AND foot_12m)},
      {'measure': 'diabetes_urine_acr',
       'denominator': count_if(has_dm), 'numerator': count_if(has_dm AND acr_12m)},
      {'measure': 'diabetes_two_hba1c_tests',
       'denominator': count_if(has_dm), 'numerator': count_if(has_dm AND hba1c_tests >= 2)},
      {'measure': 'flu_vaccinated_65plus',
       'denominator': count_if(age >= 65), 'numerator': count_if(age >= 65 AND flu_season)},
      {'measure': 'asthma_on_inhaled_steroid',
       'denominator': count_if(has_asthma), 'numerator': count_if(has_asthma AND inhaled_ics)},
      {'measure': 'emergency_admission_in_month',
       'denominator': count(*), 'numerator': count_if(emergency_in_month)},
      {'measure': 'ed_frequent_attenders',
       'denominator': count(*), 'numerator': count_if(ec_12m_count >= 4)},
      {'measure': 'ed_repeat_episodes',
       'denominator': count_if(age >= 65), 'numerator': count_if(age >= 65 AND ec_12m_spells >= 2)},
      {'measure': 'chronic_condition_admission',
       'denominator': count_if(has_copd OR has_hf OR has_asthma OR has_dm), 'numerator': count_if((has_copd OR has_hf OR has_asthma OR has_dm) AND chronic_admit)},
      {'measure': 'multi_specialty_outpatients',
       'denominator': count_if(age >= 18), 'numerator': count_if(age >= 18 AND outpatient_specialties >= 3)}
    ], recursive := true)
  FROM derived
  GROUP BY interval_start, index_date, place, pcn, imd_quintile, ethnicity_group, age_band
)

-- Each breakdown on its own, plus the overall count ('all'). Groups with a denominator of 0 are
-- left out, except 'all': every month has its 'all' row, with no value when it is 0 of 0.
SELECT c.measure, c.interval_start, c.index_date AS interval_end, b.breakdown, b."group",
       sum(c.numerator) AS numerator, sum(c.denominator) AS denominator,
       CASE WHEN sum(c.denominator) > 0 THEN printf('%.6f', sum(c.numerator) / sum(c.denominator)) END AS value
FROM counts c
CROSS JOIN LATERAL (VALUES ('all', 'all'), ('place', c.place), ('pcn', c.pcn),
                           ('imd_quintile', c.imd_quintile), ('ethnicity_group', c.ethnicity_group),
                           ('age_band', c.age_band)) AS b(breakdown, "group")
GROUP BY ALL
HAVING sum(c.denominator) > 0 OR b.breakdown = 'all'
ORDER BY c.measure, c.interval_start, b.breakdown, b."group"
