{{/*
Helpers of the app chart.

Every template reads a component through "app.component", which resolves it once: the component's own
values, then `.Values.defaults`, then the chart's built-in fallbacks. Templates therefore never touch
`.Values.components.<name>` directly, and the rules ("digest wins over tag", "a component's value replaces
the default", "env, autoscaling, pdb and serviceMonitor merge key by key") live in one place.

All lookups use `get`/`hasKey`/`dig`, so the chart also renders under `helm lint --strict`
(missingkey=error).
*/}}

{{/* Chart name, for app.kubernetes.io/name. */}}
{{- define "app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Release-wide name prefix: fullnameOverride or the release name. Object names are "<fullname>-<component>",
so it must be a DNS-1035 label (Service names are).
*/}}
{{- define "app.fullname" -}}
{{- $n := default .Release.Name .Values.fullnameOverride | trunc 32 | trimSuffix "-" -}}
{{- if not (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $n) -}}
{{- fail (printf "the release name %q can't prefix Service names: it must start with a letter and hold only a-z, 0-9 and '-' (set fullnameOverride)" $n) -}}
{{- end -}}
{{- $n -}}
{{- end -}}

{{/* helm.sh/chart label value. */}}
{{- define "app.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* app.kubernetes.io/part-of: the application this release is a part of. */}}
{{- define "app.partOf" -}}
{{- default .Release.Name .Values.partOf | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object of the release. Arg: the root context. */}}
{{- define "app.labels" -}}
helm.sh/chart: {{ include "app.chart" . }}
app.kubernetes.io/name: {{ include "app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "app.partOf" . }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector of every pod of the release (used by the default-deny NetworkPolicy). */}}
{{- define "app.releaseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end -}}

{{/*
Selector of one component's pods, stable or canary. Immutable on a Deployment: never add the version here.
Args: dict "root" $ "c" <resolved component> "track" "stable"|"canary"
*/}}
{{- define "app.selectorLabels" -}}
{{ include "app.releaseSelectorLabels" .root }}
app.kubernetes.io/component: {{ .c.name }}
polyglot-cd/track: {{ .track }}
{{- end -}}

{{/* Selector of all pods of one component, both tracks (NetworkPolicies). Args as app.selectorLabels. */}}
{{- define "app.componentSelectorLabels" -}}
{{ include "app.releaseSelectorLabels" .root }}
app.kubernetes.io/component: {{ .c.name }}
{{- end -}}

{{/* Labels of a component's objects. Args: dict "root" $ "c" <resolved component> ["track" …] */}}
{{- define "app.componentLabels" -}}
{{ include "app.labels" .root }}
app.kubernetes.io/component: {{ .c.name }}
app.kubernetes.io/version: {{ .c.version | quote }}
{{- with .track }}
polyglot-cd/track: {{ . }}
{{- end }}
{{- end -}}

{{/* Name of the ServiceAccount the components run as. */}}
{{- define "app.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "app.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* "true" when OpenTelemetry resources are rendered: otel.enabled and (the CRD is served or otel.force). */}}
{{- define "app.otelActive" -}}
{{- if and .Values.otel.enabled (or .Values.otel.force (.Capabilities.APIVersions.Has "opentelemetry.io/v1alpha1/Instrumentation")) -}}
true
{{- end -}}
{{- end -}}

{{/* "true" when ServiceMonitors are rendered: the CRD is served or serviceMonitor.force. */}}
{{- define "app.serviceMonitorApi" -}}
{{- if or .Values.serviceMonitor.force (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor") -}}
true
{{- end -}}
{{- end -}}

{{/*
HPA API: autoscaling/v2 (Kubernetes ≥ 1.23) else autoscaling/v2beta2. Against a cluster the served API
list decides; `helm template` only knows a static list, so the Kubernetes version (--kube-version) decides
there too.
*/}}
{{- define "app.hpaApiVersion" -}}
{{- if and (.Capabilities.APIVersions.Has "autoscaling/v2") (semverCompare ">=1.23-0" .Capabilities.KubeVersion.Version) -}}
autoscaling/v2
{{- else -}}
autoscaling/v2beta2
{{- end -}}
{{- end -}}

{{/* PDB API: policy/v1 (Kubernetes ≥ 1.21) else policy/v1beta1. Same rule as app.hpaApiVersion. */}}
{{- define "app.pdbApiVersion" -}}
{{- if and (.Capabilities.APIVersions.Has "policy/v1") (semverCompare ">=1.21-0" .Capabilities.KubeVersion.Version) -}}
policy/v1
{{- else -}}
policy/v1beta1
{{- end -}}
{{- end -}}

{{/* Label-safe value: [A-Za-z0-9._-], ≤ 63 characters, alphanumeric at both ends. */}}
{{- define "app.labelValue" -}}
{{- regexReplaceAll "[^A-Za-z0-9._-]" (toString .) "-" | trunc 63 | trimAll "-._" -}}
{{- end -}}

{{/*
app.component: resolve one component. Returns YAML (use `include … | fromYaml`).
Args: dict "root" $ "name" <component name> "spec" <.Values.components.<name>>

Resolution:
- image: repository@digest when a digest is set (the digest wins), else repository:tag; neither is an error.
- replicaCount, healthPath, resources, probes, security contexts, scheduling, … : the component's value
  replaces `.Values.defaults.<key>` as a whole.
- env, autoscaling, pdb, otel: merged key by key (component wins). serviceMonitor: component over the
  top-level `serviceMonitor`.
- database: true adds env DATABASE_URL from the database's Secret (app.databaseSecretRef), unless env
  names DATABASE_URL itself.
*/}}
{{- define "app.component" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $s := .spec -}}
{{- $key := printf "components.%s" $name -}}
{{- if not (kindIs "map" $s) -}}
{{- fail (printf "%s must be a map with at least image.repository and port" $key) -}}
{{- end -}}
{{- $d := $root.Values.defaults -}}
{{- $out := dict "name" $name "key" $key -}}
{{- $_ := set $out "fullname" (printf "%s-%s" (include "app.fullname" $root) $name | trunc 63 | trimSuffix "-") -}}

{{- /* image: the digest wins over the tag */ -}}
{{- $img := get $s "image" | default dict -}}
{{- $repo := get $img "repository" | default "" -}}
{{- if not $repo -}}
{{- fail (printf "%s.image.repository is required" $key) -}}
{{- end -}}
{{- $digest := get $img "digest" | default "" -}}
{{- $tag := get $img "tag" | default "" | toString -}}
{{- if $digest -}}
{{- $_ := set $out "image" (printf "%s@%s" $repo $digest) -}}
{{- else if $tag -}}
{{- $_ := set $out "image" (printf "%s:%s" $repo $tag) -}}
{{- else -}}
{{- fail (printf "%s.image: set digest (preferred, sha256:…) or tag" $key) -}}
{{- end -}}
{{- $_ := set $out "repository" $repo -}}
{{- $_ := set $out "pullPolicy" (get $img "pullPolicy" | default "IfNotPresent") -}}

{{- /* app.kubernetes.io/version: explicit version, release version, tag, short digest, appVersion */ -}}
{{- $version := coalesce (get $s "version") $root.Values.version $tag -}}
{{- if and (not $version) $digest -}}
{{- $version = printf "sha256-%s" (trunc 12 (trimPrefix "sha256:" $digest)) -}}
{{- end -}}
{{- $_ := set $out "version" (include "app.labelValue" (default $root.Chart.AppVersion $version)) -}}

{{- if not (hasKey $s "port") -}}
{{- fail (printf "%s.port is required" $key) -}}
{{- end -}}
{{- $_ := set $out "port" (get $s "port") -}}
{{- $svc := get $s "service" | default dict -}}
{{- $_ := set $out "servicePort" (get $svc "port" | default (get $s "port")) -}}
{{- $_ := set $out "serviceType" (get $svc "type" | default "ClusterIP") -}}
{{- $_ := set $out "language" (get $s "language" | default "") -}}
{{- $_ := set $out "ingressPath" (get $s "path" | default "") -}}
{{- $_ := set $out "pathType" (get $s "pathType" | default "Prefix") -}}
{{- $_ := set $out "allowFrom" (get $s "allowFrom" | default list) -}}
{{- $_ := set $out "extraIngress" (dig "networkPolicy" "extraIngress" list $s) -}}
{{- $_ := set $out "command" (get $s "command" | default list) -}}
{{- $_ := set $out "args" (get $s "args" | default list) -}}
{{- $automount := $root.Values.serviceAccount.automountServiceAccountToken -}}
{{- if hasKey $s "automountServiceAccountToken" -}}
{{- $automount = get $s "automountServiceAccountToken" -}}
{{- end -}}
{{- $_ := set $out "automountServiceAccountToken" $automount -}}

{{- /* replaced as a whole */ -}}
{{- range $k := list "replicaCount" "healthPath" "resources" "envFrom" "probes" "podSecurityContext" "securityContext" "tmpSizeLimit" "podAnnotations" "podLabels" "nodeSelector" "tolerations" "affinity" "podAntiAffinity" "topologySpreadConstraints" "priorityClassName" "terminationGracePeriodSeconds" "extraVolumes" "extraVolumeMounts" -}}
{{- if hasKey $s $k -}}
{{- $_ := set $out $k (get $s $k) -}}
{{- else if hasKey $d $k -}}
{{- $_ := set $out $k (get $d $k) -}}
{{- else -}}
{{- $_ := set $out $k nil -}}
{{- end -}}
{{- end -}}
{{- if not (get $out "healthPath") -}}
{{- $_ := set $out "healthPath" "/health" -}}
{{- end -}}

{{- /* merged key by key */ -}}
{{- range $k := list "env" "autoscaling" "pdb" -}}
{{- $m := dict -}}
{{- range $ek, $ev := (get $d $k | default dict) -}}
{{- $_ := set $m $ek $ev -}}
{{- end -}}
{{- range $ek, $ev := (get $s $k | default dict) -}}
{{- $_ := set $m $ek $ev -}}
{{- end -}}
{{- $_ := set $out $k $m -}}
{{- end -}}
{{- $sm := dict -}}
{{- range $ek, $ev := $root.Values.serviceMonitor -}}
{{- $_ := set $sm $ek $ev -}}
{{- end -}}
{{- range $ek, $ev := (get $s "serviceMonitor" | default dict) -}}
{{- $_ := set $sm $ek $ev -}}
{{- end -}}
{{- $_ := set $out "serviceMonitor" $sm -}}
{{- /* database: true adds env DATABASE_URL from the database's Secret (an explicit env entry wins).
With the in-chart PostgreSQL the URL is composed in the pod from the password in its Secret and the
Service's environment variables (<NAME>_SERVICE_HOST/_PORT, which the kubelet sets for every Service of
the namespace that exists when the pod starts; Helm creates the Service before any workload or hook of
the release): the pod finds the database with or without cluster DNS. DATABASE_PASSWORD sorts before
DATABASE_URL, so $(DATABASE_PASSWORD) is defined where it is referenced. */ -}}
{{- $_ := set $out "database" (get $s "database" | default false) -}}
{{- if and $out.database (not (hasKey $out.env "DATABASE_URL")) -}}
{{- $ref := include "app.databaseSecretRef" (dict "root" $root "from" (printf "%s.database" $key)) | fromYaml -}}
{{- $pg := $root.Values.postgresql | default dict -}}
{{- if $pg.enabled -}}
{{- $svc := include "app.postgresql.fullname" $root | upper | replace "-" "_" -}}
{{- $_ := set $out.env "DATABASE_PASSWORD" (dict "valueFrom" (dict "secretKeyRef" (dict "name" $ref.name "key" "password"))) -}}
{{- $_ := set $out.env "DATABASE_URL" (printf "postgresql://%s:$(DATABASE_PASSWORD)@$(%s_SERVICE_HOST):$(%s_SERVICE_PORT)/%s?sslmode=disable" $pg.auth.username $svc $svc $pg.auth.database) -}}
{{- else -}}
{{- $_ := set $out.env "DATABASE_URL" (dict "valueFrom" (dict "secretKeyRef" $ref)) -}}
{{- end -}}
{{- end -}}
{{- $otel := dict "enabled" true -}}
{{- range $ek, $ev := (get $s "otel" | default dict) -}}
{{- $_ := set $otel $ek $ev -}}
{{- end -}}
{{- $_ := set $out "otel" $otel -}}
{{- include "app.checkSecurity" (dict "root" $root "c" $out) -}}
{{- toYaml $out -}}
{{- end -}}

{{/*
Refuses what a pod of this app may not ask for at the level security.podSecurity (restricted by
default; helm-deploy sets it from its pod-security input, after every values file, so a values file in
a pull request cannot raise it): privileged containers, hostPath volumes, added capabilities (baseline:
only Pod Security's baseline list) and running as UID 0 or with runAsNonRoot false (allowed from
baseline on); privileged allows everything. Host namespaces are not settable at all (the schema).
Args: dict "root" $ "c" <resolved component>
*/}}
{{- define "app.checkSecurity" -}}
{{- $level := (($.root.Values.security | default dict).podSecurity | default "restricted") -}}
{{- $c := .c -}}
{{- if ne $level "privileged" -}}
{{- $why := printf "not allowed at security.podSecurity %s (the workflow's pod-security)" $level -}}
{{- $sc := $c.securityContext | default dict -}}
{{- $psc := $c.podSecurityContext | default dict -}}
{{- if $sc.privileged -}}
{{- fail (printf "%s.securityContext.privileged: true is %s" $c.key $why) -}}
{{- end -}}
{{- if $sc.allowPrivilegeEscalation -}}
{{- if eq $level "restricted" -}}
{{- fail (printf "%s.securityContext.allowPrivilegeEscalation: true is %s" $c.key $why) -}}
{{- end -}}
{{- end -}}
{{- $baselineCaps := list "AUDIT_WRITE" "CHOWN" "DAC_OVERRIDE" "FOWNER" "FSETID" "KILL" "MKNOD" "NET_BIND_SERVICE" "SETFCAP" "SETGID" "SETPCAP" "SETUID" "SYS_CHROOT" -}}
{{- range $cap := (($sc.capabilities | default dict).add | default list) -}}
{{- $name := upper (trimPrefix "CAP_" (toString $cap)) -}}
{{- if or (eq $level "restricted") (not (has $name $baselineCaps)) -}}
{{- fail (printf "%s.securityContext.capabilities.add %s is %s" $c.key (toString $cap) $why) -}}
{{- end -}}
{{- end -}}
{{- range $v := ($c.extraVolumes | default list) -}}
{{- if hasKey $v "hostPath" -}}
{{- fail (printf "%s.extraVolumes %s: hostPath volumes are %s" $c.key (toString ($v.name | default "")) $why) -}}
{{- end -}}
{{- end -}}
{{- if eq $level "restricted" -}}
{{- range $ctx := list (list "securityContext" $sc) (list "podSecurityContext" $psc) -}}
{{- $v := index $ctx 1 -}}
{{- if and (hasKey $v "runAsUser") (eq (int64 (toString $v.runAsUser)) 0) -}}
{{- fail (printf "%s.%s.runAsUser: 0 (root) is %s" $c.key (index $ctx 0) $why) -}}
{{- end -}}
{{- if and (hasKey $v "runAsNonRoot") (not $v.runAsNonRoot) -}}
{{- fail (printf "%s.%s.runAsNonRoot: false is %s" $c.key (index $ctx 0) $why) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Pod annotations that make the OpenTelemetry operator inject the auto-instrumentation of the component's
declared language. Nothing when OTel is inactive, the component opted out, or it declares no language.
Args: dict "root" $ "c" <resolved component>
*/}}
{{- define "app.otelAnnotations" -}}
{{- $c := .c -}}
{{- if and (include "app.otelActive" .root) $c.language $c.otel.enabled -}}
instrumentation.opentelemetry.io/inject-{{ $c.language }}: {{ include "app.fullname" .root | quote }}
{{- if eq $c.language "go" }}
{{- if not (get $c.otel "goTargetExe") }}
{{- fail (printf "%s.otel.goTargetExe is required for a go component with OpenTelemetry: the absolute path of the binary to instrument (or set %s.otel.enabled=false)" $c.key $c.key) }}
{{- end }}
instrumentation.opentelemetry.io/otel-go-auto-target-exe: {{ get $c.otel "goTargetExe" | quote }}
{{- end }}
{{- if and (eq $c.language "dotnet") (get $c.otel "dotnetRuntime") }}
instrumentation.opentelemetry.io/otel-dotnet-auto-runtime: {{ get $c.otel "dotnetRuntime" | quote }}
{{- end }}
{{- end -}}
{{- end -}}

{{/*
Resolve a component by name or fail with the name of the value that referenced it.
Args: dict "root" $ "name" <component name> "from" <value path, for the message>
*/}}
{{- define "app.componentByName" -}}
{{- $spec := get .root.Values.components .name -}}
{{- if not $spec -}}
{{- fail (printf "%s refers to component %q, which is not in components (have: %s)" .from .name (keys .root.Values.components | sortAlpha | join ", ")) -}}
{{- end -}}
{{- include "app.component" (dict "root" .root "name" .name "spec" $spec) -}}
{{- end -}}

{{/*
A NetworkPolicy peer for a namespace of the cluster (the ingress controller's, Prometheus').
Arg: {namespace, namespaceSelector, podSelector}: namespaceSelector, when set, replaces the match on the
kubernetes.io/metadata.name label; podSelector narrows the peer to some of that namespace's pods.
*/}}
{{- define "app.networkPeer" -}}
{{- $nsSel := .namespaceSelector -}}
{{- if not $nsSel -}}
{{- $nsSel = dict "matchLabels" (dict "kubernetes.io/metadata.name" .namespace) -}}
{{- end -}}
namespaceSelector:
  {{- toYaml $nsSel | nindent 2 }}
{{- with .podSelector }}
podSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
The Secret key holding the DATABASE_URL of components with `database: true`: the in-chart PostgreSQL's
Secret when postgresql.enabled, else database.existingSecret; neither is an error naming the value.
Args: dict "root" $ "from" <value path that asked, for the message>. Returns YAML {name, key}.
*/}}
{{- define "app.databaseSecretRef" -}}
{{- $root := .root -}}
{{- $pg := $root.Values.postgresql | default dict -}}
{{- $db := $root.Values.database | default dict -}}
{{- if $pg.enabled -}}
name: {{ include "app.postgresql.fullname" $root }}
key: DATABASE_URL
{{- else if $db.existingSecret -}}
name: {{ $db.existingSecret }}
key: {{ $db.existingSecretKey | default "DATABASE_URL" }}
{{- else -}}
{{- fail (printf "%s: true needs a database: set postgresql.enabled=true (a PostgreSQL in the release, for previews) or database.existingSecret (the Secret holding the URL, for production)" .from) -}}
{{- end -}}
{{- end -}}

{{/* Name of the in-chart PostgreSQL's StatefulSet, Service, Secret and ConfigMap. */}}
{{- define "app.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "app.fullname" .) -}}
{{- end -}}

{{/* Labels and selector of the in-chart PostgreSQL (component "postgresql"). Arg: the root context. */}}
{{- define "app.postgresql.selectorLabels" -}}
{{ include "app.releaseSelectorLabels" . }}
app.kubernetes.io/component: postgresql
{{- end -}}

{{- define "app.postgresql.labels" -}}
{{ include "app.labels" . }}
app.kubernetes.io/component: postgresql
{{- end -}}

{{/* The image of the in-chart PostgreSQL: repository@digest, else repository:tag. */}}
{{- define "app.postgresql.image" -}}
{{- $img := .Values.postgresql.image -}}
{{- if not $img.repository -}}
{{- fail "postgresql.image.repository is required when postgresql.enabled" -}}
{{- end -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $img.repository $img.digest -}}
{{- else if $img.tag -}}
{{- printf "%s:%s" $img.repository (toString $img.tag) -}}
{{- else -}}
{{- fail "postgresql.image: set digest (preferred, sha256:…) or tag" -}}
{{- end -}}
{{- end -}}
