{{/*
One Deployment of a component. Used for the stable track (deployment.yaml) and the canary (canary.yaml).
Args: dict
  "root"     $
  "c"        the resolved component (app.component)
  "name"     metadata.name
  "track"    "stable" | "canary"
  "image"    the image reference to run
  "replicas" the replica count, or "" to leave it to the HorizontalPodAutoscaler
*/}}
{{- define "app.deployment" -}}
{{- $root := .root -}}
{{- $c := .c -}}
{{- $labelArgs := dict "root" $root "c" $c "track" .track -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
  labels:
    {{- include "app.componentLabels" $labelArgs | nindent 4 }}
spec:
  {{- if ne (toString .replicas) "" }}
  replicas: {{ .replicas }}
  {{- end }}
  revisionHistoryLimit: {{ $root.Values.revisionHistoryLimit }}
  selector:
    matchLabels:
      {{- include "app.selectorLabels" $labelArgs | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "app.componentLabels" $labelArgs | nindent 8 }}
        {{- with $c.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- $otelAnnotations := include "app.otelAnnotations" (dict "root" $root "c" $c) }}
      {{- if or $c.podAnnotations $otelAnnotations }}
      annotations:
        {{- with $c.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- with $otelAnnotations }}
        {{- . | nindent 8 }}
        {{- end }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "app.serviceAccountName" $root }}
      automountServiceAccountToken: {{ $c.automountServiceAccountToken }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- $podSecurityContext := $c.podSecurityContext | default dict }}
      {{- if and $otelAnnotations (eq $c.language "go") }}
      {{- /* The operator's Go instrumentation is a privileged eBPF sidecar running as root: keep the
             non-root rule on the app container only. */}}
      {{- $podSecurityContext = omit $podSecurityContext "runAsNonRoot" "runAsUser" }}
      {{- end }}
      {{- with $podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      terminationGracePeriodSeconds: {{ $c.terminationGracePeriodSeconds }}
      containers:
        - name: {{ $c.name }}
          image: {{ .image | quote }}
          imagePullPolicy: {{ $c.pullPolicy }}
          {{- with $c.command }}
          command:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $c.args }}
          args:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          ports:
            - name: http
              containerPort: {{ $c.port }}
              protocol: TCP
          {{- if $c.env }}
          env:
            {{- range $name, $value := $c.env }}
            - name: {{ $name | quote }}
              {{- if kindIs "map" $value }}
              {{- toYaml $value | nindent 14 }}
              {{- else }}
              value: {{ toString $value | quote }}
              {{- end }}
            {{- end }}
          {{- end }}
          {{- with $c.envFrom }}
          envFrom:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- $probes := $c.probes | default dict }}
          {{- with get $probes "startup" }}
          {{- if get . "enabled" }}
          startupProbe:
            httpGet:
              path: {{ $c.healthPath | quote }}
              port: http
            {{- toYaml (omit . "enabled") | nindent 12 }}
          {{- end }}
          {{- end }}
          livenessProbe:
            httpGet:
              path: {{ $c.healthPath | quote }}
              port: http
            {{- with get $probes "liveness" }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          readinessProbe:
            httpGet:
              path: {{ $c.healthPath | quote }}
              port: http
            {{- with get $probes "readiness" }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- with $c.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $c.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with $c.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            {{- with $c.tmpSizeLimit }}
            sizeLimit: {{ . }}
            {{- else }} {}
            {{- end }}
        {{- with $c.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $c.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $c.affinity }}
      affinity:
        {{- toYaml $c.affinity | nindent 8 }}
      {{- else if eq (toString $c.podAntiAffinity) "soft" }}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    {{- include "app.selectorLabels" $labelArgs | nindent 20 }}
      {{- else if eq (toString $c.podAntiAffinity) "hard" }}
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: kubernetes.io/hostname
              labelSelector:
                matchLabels:
                  {{- include "app.selectorLabels" $labelArgs | nindent 18 }}
      {{- end }}
      {{- with $c.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/*
The Service of a component (stable or canary).
Args: dict "root" $ "c" <resolved component> "name" <metadata.name> "track" "stable"|"canary"
*/}}
{{- define "app.service" -}}
{{- $labelArgs := dict "root" .root "c" .c "track" .track -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
  labels:
    {{- include "app.componentLabels" $labelArgs | nindent 4 }}
spec:
  type: {{ .c.serviceType }}
  selector:
    {{- include "app.selectorLabels" $labelArgs | nindent 4 }}
  ports:
    - name: http
      port: {{ .c.servicePort }}
      targetPort: http
      protocol: TCP
{{- end -}}
