from airflow._core import BaseOperator

AWS_ARGS = {"aws_conn_id", "region_name", "verify", "botocore_config"}


class EmrCreateJobFlowOperator(BaseOperator):
    PARAMS = AWS_ARGS | {"emr_conn_id", "job_flow_overrides", "wait_for_completion", "wait_policy",
                         "waiter_max_attempts", "waiter_delay", "deferrable"}


class EmrAddStepsOperator(BaseOperator):
    PARAMS = AWS_ARGS | {"job_flow_id", "job_flow_name", "cluster_states", "steps", "wait_for_completion",
                         "waiter_delay", "waiter_max_attempts", "execution_role_arn", "deferrable"}

    def __init__(self, **kwargs):
        if ("job_flow_id" in kwargs) == ("job_flow_name" in kwargs):
            raise ValueError("Exactly one of job_flow_id or job_flow_name must be specified.")
        super().__init__(**kwargs)


class EmrTerminateJobFlowOperator(BaseOperator):
    PARAMS = AWS_ARGS | {"job_flow_id", "waiter_delay", "waiter_max_attempts", "deferrable"}
    REQUIRED = {"job_flow_id"}
