import type { ReactNode } from "react";
import { Button } from "antd";
import { ArrowLeftOutlined } from "@ant-design/icons";
import { useNavigate } from "react-router";

export function PageHeader({ title, extra, back, sub }: { title: ReactNode; extra?: ReactNode; back?: string; sub?: ReactNode }) {
  const navigate = useNavigate();
  return (
    <div className="page-header">
      <div className="page-header-title">
        {back && <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(back)} aria-label="back" />}
        <h2 data-testid="page-title">{title}</h2>
        {sub}
      </div>
      {extra && <div className="page-header-extra">{extra}</div>}
    </div>
  );
}
