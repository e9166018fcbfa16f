from airflow._core import DAG, require_major

require_major("3", "airflow.sdk")
