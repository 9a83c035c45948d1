import { useRef, useState } from "react";
import { Button, Image, Progress, Space, Spin, Tag, Upload } from "antd";
import { FileImageOutlined, FilePdfOutlined, PaperClipOutlined } from "@ant-design/icons";
import { parseError } from "../../api/errors";
import { downloadFile, uploadFile } from "../../lib/files";
import { useFileUrl } from "../../lib/useFileUrl";
import { acceptableFile, formatBytes } from "../../lib/negotiation";
import { useI18n } from "../../i18n";

export interface UploadedFile {
  fileId: string;
  name: string;
  contentType: string;
  sizeBytes: bigint;
}

export const ACCEPT = "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf";

/** Files for the other side (drawings, reference quotes): JPEG, PNG or PDF uploaded through FileService for `enterpriseId`. */
export function AttachmentsInput({
  value,
  onChange,
  enterpriseId,
  onError,
}: {
  value: UploadedFile[];
  onChange: (files: UploadedFile[]) => void;
  enterpriseId: string;
  onError: (message: string) => void;
}) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<number | null>(null);
  const latest = useRef(value);
  latest.current = value;

  const upload = async (file: File) => {
    if (!acceptableFile(file)) {
      onError(t("neg.fileHint"));
      return;
    }
    setProgress(0);
    try {
      const meta = await uploadFile(file, enterpriseId || undefined, setProgress);
      latest.current = [...latest.current, { fileId: meta.fileId, name: meta.displayName, contentType: meta.contentType, sizeBytes: meta.sizeBytes }];
      onChange(latest.current);
    } catch (e) {
      onError(`${t("ent.uploadFailed")}: ${parseError(e).message}`);
    } finally {
      setProgress(null);
    }
  };

  return (
    <div data-testid="attachments">
      <Space wrap>
        {value.map((f) => (
          <Tag key={f.fileId} closable onClose={() => onChange(value.filter((x) => x.fileId !== f.fileId))} icon={<PaperClipOutlined />} data-testid="attachment-item">
            {f.name} <span className="muted small">{formatBytes(f.sizeBytes)}</span>
          </Tag>
        ))}
        <Upload
          accept={ACCEPT}
          showUploadList={false}
          multiple
          disabled={!enterpriseId}
          beforeUpload={(file) => {
            void upload(file as unknown as File);
            return Upload.LIST_IGNORE;
          }}
        >
          <Button icon={<PaperClipOutlined />} loading={progress !== null} disabled={!enterpriseId} data-testid="attachment-add">
            {progress !== null ? <Progress type="line" size="small" percent={progress} style={{ width: 80 }} /> : t("neg.addAttachment")}
          </Button>
        </Upload>
      </Space>
      <div className="field-hint">{t("neg.fileHint")}</div>
    </div>
  );
}

/** An image attachment shown inline: downloaded through FileService into a blob URL (revoked on unmount). */
export function InlineImage({ fileId, name, size = 180 }: { fileId: string; name: string; size?: number }) {
  const { t } = useI18n();
  const { url, failed } = useFileUrl(fileId);
  if (failed)
    return (
      <span className="muted small" title={t("listing.imageUnavailable")}>
        <FileImageOutlined /> {name}
      </span>
    );
  if (!url) return <Spin size="small" />;
  return <Image src={url} alt={name} style={{ maxWidth: size, maxHeight: size }} className="chat-image" data-testid="chat-image" />;
}

/** A non-image attachment: a link that downloads the file through FileService and saves it under its name. */
export function FileLink({ fileId, name, sizeBytes }: { fileId: string; name: string; sizeBytes?: bigint }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const save = async () => {
    setBusy(true);
    setFailed(false);
    try {
      const { blob } = await downloadFile(fileId);
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = name || fileId;
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button type="link" size="small" icon={<FilePdfOutlined />} loading={busy} onClick={save} className="chat-file" data-testid="chat-file" danger={failed} title={t("neg.download")}>
      {name}
      {sizeBytes !== undefined && <span className="muted small">{formatBytes(sizeBytes)}</span>}
    </Button>
  );
}
