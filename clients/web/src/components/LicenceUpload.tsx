import { useState } from "react";
import { Button, Progress, Space, Tag, Upload } from "antd";
import { CheckCircleOutlined, UploadOutlined } from "@ant-design/icons";
import { uploadFile } from "../lib/files";
import { parseError } from "../api/errors";
import { useI18n } from "../i18n";

interface Props {
  value?: string;
  onChange?: (fileId: string) => void;
  enterpriseId?: string;
  onError?: (message: string) => void;
}

const MAX_BYTES = 20 * 1024 * 1024;

/** Form control whose value is the file id of the uploaded business licence. */
export function LicenceUpload({ value, onChange, enterpriseId, onError }: Props) {
  const { t } = useI18n();
  const [name, setName] = useState<string>("");
  const [progress, setProgress] = useState<number | null>(null);

  const upload = async (file: File) => {
    if (file.size <= 0 || file.size > MAX_BYTES) {
      onError?.(t("ent.licenceHint"));
      return;
    }
    setProgress(0);
    try {
      const meta = await uploadFile(file, enterpriseId, setProgress);
      setName(meta.displayName || file.name);
      onChange?.(meta.fileId);
    } catch (e) {
      onError?.(`${t("ent.uploadFailed")}: ${parseError(e).message}`);
    } finally {
      setProgress(null);
    }
  };

  return (
    <div data-testid="licence-field">
      <Space wrap>
        <Upload
          accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
          showUploadList={false}
          maxCount={1}
          beforeUpload={(file) => {
            void upload(file as unknown as File);
            return Upload.LIST_IGNORE;
          }}
        >
          <Button icon={<UploadOutlined />} loading={progress !== null} data-testid="licence-upload">
            {progress !== null ? t("ent.uploading", { p: progress }) : t("ent.licenceUpload")}
          </Button>
        </Upload>
        {value && (
          <Tag color="success" icon={<CheckCircleOutlined />} data-testid="licence-uploaded" data-file-id={value}>
            {t("ent.licenceUploaded", { name: name || value })}
          </Tag>
        )}
      </Space>
      {progress !== null && <Progress percent={progress} size="small" style={{ maxWidth: 320 }} />}
      <div className="field-hint">{t("ent.licenceHint")}</div>
    </div>
  );
}
