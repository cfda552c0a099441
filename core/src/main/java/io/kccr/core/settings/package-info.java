/**
 * Settings as Elasticsearch has them: flat dotted keys with string values, each key defined once by a
 * {@link io.kccr.core.settings.Setting} (type, default, parser, validator, dynamic or not, scope, doc), families of
 * keys by an {@link io.kccr.core.settings.AffixSetting} ({@code cluster.remote.<name>.seeds}) or a
 * {@link io.kccr.core.settings.PrefixSetting} ({@code kafka.<client property>}), and the one parser of time values
 * ({@link io.kccr.core.settings.TimeValue}) and of byte sizes ({@link io.kccr.core.settings.ByteSizeValue}) with
 * Elasticsearch's units and rendering. Node, cluster and index settings and the request parameters that take such
 * values are all read through these. No HTTP in here.
 */
package io.kccr.core.settings;
