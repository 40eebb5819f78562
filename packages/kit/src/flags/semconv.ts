// The OpenTelemetry semantic conventions for feature flags that the kit
// records (https://opentelemetry.io/docs/specs/semconv/feature-flags/): an
// event `feature_flag.evaluation` on the span where a flag changed what the
// service does. Still incubating upstream, so copied here as the
// semantic-conventions package advises for unstable names;
// semconv.test.ts compares them with the package's incubating exports.

export const EVENT_FEATURE_FLAG_EVALUATION = 'feature_flag.evaluation';
export const ATTR_FEATURE_FLAG_KEY = 'feature_flag.key';
export const ATTR_FEATURE_FLAG_RESULT_VARIANT = 'feature_flag.result.variant';
export const ATTR_FEATURE_FLAG_RESULT_VALUE = 'feature_flag.result.value';
export const ATTR_FEATURE_FLAG_RESULT_REASON = 'feature_flag.result.reason';
export const ATTR_FEATURE_FLAG_PROVIDER_NAME = 'feature_flag.provider.name';
