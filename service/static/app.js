// A little script, vendored with the app (no CDN): follow a job's progress, and warn about an
// upload that is over the limit before the browser sends it. Pages work without it.
"use strict";

const STATUS = { queued: "排队中", running: "识别中", done: "已完成", failed: "失败" };

function followJob(box) {
  const id = box.dataset.job;
  const tick = async () => {
    let job;
    try {
      const response = await fetch(`/api/jobs/${id}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) { setTimeout(tick, 3000); return; }
      job = await response.json();
    } catch (e) { setTimeout(tick, 3000); return; }
    const bar = document.getElementById("job-progress");
    bar.max = Math.max(job.pages_total, 1);
    bar.value = job.pages_done;
    document.getElementById("job-pages").textContent = `${job.pages_done}/${job.pages_total} 页`;
    document.getElementById("job-status").textContent = STATUS[job.status] || job.status;
    document.getElementById("job-message").textContent = job.message;
    const list = document.getElementById("job-problems");
    list.replaceChildren(...job.problems.map((p) => { const li = document.createElement("li"); li.textContent = p; return li; }));
    const was = box.dataset.status;
    box.dataset.status = job.status;
    if (job.status === "queued" || job.status === "running") setTimeout(tick, 1000);
    // Finished: the page itself lists the trainees and their flags (rendered by the server).
    else if (was === "queued" || was === "running") window.location.reload();
  };
  if (box.dataset.status === "queued" || box.dataset.status === "running") tick();
}

function guardUpload(form) {
  const limit = Number(form.dataset.maxBytes);
  form.addEventListener("submit", (event) => {
    let total = 0;
    for (const input of form.querySelectorAll("input[type=file]")) for (const f of input.files) total += f.size;
    if (total > limit) {
      event.preventDefault();
      const box = document.getElementById("size-error");
      box.textContent = `上传过大：共 ${(total / 1048576).toFixed(1)} MB，每次最多 ${form.dataset.maxMb} MB，请分批上传`;
      box.hidden = false;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const job = document.getElementById("job");
  if (job) followJob(job);
  const form = document.getElementById("upload-form");
  if (form) guardUpload(form);
});
