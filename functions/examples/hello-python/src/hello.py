import logging

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def handler(event, context):
    name = event.get("name", "world") if isinstance(event, dict) else event
    logger.info("Hello from %s, greeting %s", context.function_name, name)
    return {"message": "Hello, %s!" % name, "requestId": context.aws_request_id}
