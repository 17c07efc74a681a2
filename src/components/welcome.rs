//! First-visit guidance: what a key is, where to get one, and where it goes.

use leptos::prelude::*;

use super::msg::Msg;
use crate::domain::message::Bilingual;
use crate::state::use_app_state;

/// Shown while no key is set (and not in demo mode).
#[component]
pub fn Welcome() -> impl IntoView {
    let state = use_app_state();
    let show = move || !state.demo && state.key.with(String::is_empty);
    view! {
        <Show when=show>
            <aside class="welcome" aria-labelledby="welcome-h">
                <h2 id="welcome-h">"Start here / 开始使用"</h2>
                <p>
                    <Msg text=Bilingual::new(
                        "To generate videos, paste your DMXAPI API key in Settings. Get one in the DMXAPI console → personal centre → API keys, on the site (.cn, .com or ssvip) you pay on.",
                        "要生成视频，请在设置中粘贴你的 DMXAPI API 密钥。密钥可在 DMXAPI 控制台 → 个人中心 → API 密钥中获取（使用你付费的站点：.cn、.com 或 ssvip）。",
                    ) />
                </p>
                <p>
                    <Msg text=Bilingual::new(
                        "The key stays in this browser and is sent only to the endpoint you choose, in the Authorization header. Give it a spending limit in the console.",
                        "密钥只保存在此浏览器中，仅通过 Authorization 请求头发送到你选择的接口地址。建议在控制台为其设置额度上限。",
                    ) />
                </p>
                <p class="hint">
                    "No key yet? Run ./scripts/start.sh --demo to try everything against a local simulator."
                </p>
            </aside>
        </Show>
    }
}
