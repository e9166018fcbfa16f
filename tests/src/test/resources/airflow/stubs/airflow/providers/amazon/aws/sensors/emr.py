from airflow._core import BaseOperator


class EmrStepSensor(BaseOperator):
    PARAMS = {"aws_conn_id", "region_name", "verify", "botocore_config", "job_flow_id", "step_id",
              "target_states", "failed_states", "deferrable", "poke_interval", "max_attempts", "mode", "timeout"}
    REQUIRED = {"job_flow_id", "step_id"}
