"""zengzhi: an exact, auditable consumption-appreciation points economy (消费增值经济模型)."""

__version__ = "0.1.0"
