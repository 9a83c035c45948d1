import { useEffect, useState } from "react";
import { Button, Empty, Image, Space, Spin, Typography } from "antd";
import { ExportOutlined, FilePdfOutlined, EyeOutlined } from "@ant-design/icons";
import { downloadFile } from "../lib/files";
import { parseError } from "../api/errors";
import { useI18n } from "../i18n";

/** Loads a licence through FileService.DownloadFile and shows the image, or a button to open the PDF. */
export function LicenceViewer({ fileId, autoLoad }: { fileId: string; autoLoad?: boolean }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [type, setType] = useState("");
  const [name, setName] = useState("");
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);

  const load = async () => {
    setLoading(true);
    setError(null);
    try {
      const { file, blob } = await downloadFile(fileId);
      setType(blob.type);
      setName(file?.displayName ?? "");
      setUrl(URL.createObjectURL(blob));
    } catch (e) {
      setError(parseError(e).message);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    if (autoLoad && fileId) void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fileId, autoLoad]);

  if (!fileId) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("op.licenceNone")} />;
  if (loading) return <Spin />;
  if (error) return <Typography.Text type="danger">{error}</Typography.Text>;
  if (!url)
    return (
      <Button icon={<EyeOutlined />} onClick={load} data-testid="licence-load">
        {t("op.licenceLoad")}
      </Button>
    );
  if (type.startsWith("image/"))
    return (
      <Space orientation="vertical">
        <Image src={url} alt={name} width={320} data-testid="licence-image" className="licence-image" />
        <Typography.Text type="secondary">{name}</Typography.Text>
      </Space>
    );
  return (
    <Space>
      <FilePdfOutlined style={{ fontSize: 28, color: "#d4380d" }} />
      <Typography.Text>{name}</Typography.Text>
      <Button icon={<ExportOutlined />} onClick={() => window.open(url, "_blank", "noopener")} data-testid="licence-open">
        {t("op.licenceOpen")}
      </Button>
    </Space>
  );
}
